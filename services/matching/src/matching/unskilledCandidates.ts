import type { CandidateTable } from './candidateTable.js';
import type { OpportunityTable } from './opportunityTable.js';
import type { UnskilledGroup } from './pairSearch.js';
import type { MatchTuning } from './weights.js';

/**
 * The candidates sharing none of an opportunity's skills, grouped by how close an occupation of theirs is to
 * the opportunity's (same occupation, then the same ISCO unit, minor, sub-major and major group), and last
 * everyone within reach. Without a shared skill the occupation is the only large part of the score left, so a
 * group's bound is low enough that the far groups (most people) are usually never opened.
 */
export function unskilledCandidates(
  c: CandidateTable,
  o: OpportunityTable,
  j: number,
  tuning: MatchTuning,
): UnskilledGroup[] {
  const w = tuning.weights;
  const total = w.essentialSkills + w.optionalSkills + w.occupation + w.languages + w.distance + w.preferences;
  const essential = o.nEssential[j] === 0 ? 1 : 0;
  const optional = o.nOptional[j] === 0 ? 0.5 : 0;
  // A preferred occupation is weighted by this factor, a practised one by at most 1 (less under a year).
  const factor = Math.max(1, tuning.preferredOccupationFactor);
  const bound = (similarity: number) =>
    (w.essentialSkills * essential +
      w.optionalSkills * optional +
      w.occupation * similarity * factor +
      w.languages +
      w.distance +
      w.preferences) /
    total;
  const key = o.isco[j]!;
  const occupation = o.occupation[j]!;
  const order = c.iscoOrder;
  const postings = c.occupationPostings;
  const sharing =
    (unit: number) =>
    (visit: (list: NonNullable<ReturnType<typeof postings.list>>) => void): void => {
      const [from, to] = order.range(key, unit);
      for (let p = from; p < to; p++) {
        const list = postings.list(order.occupations[p]!);
        if (list) visit(list);
      }
    };
  const sim = tuning.iscoSimilarity;
  const groups: UnskilledGroup[] = [
    {
      bound: bound(1),
      lists: (visit) => {
        const list = occupation < 0 ? undefined : postings.list(occupation);
        if (list) visit(list);
      },
    },
    { bound: bound(sim.unit), lists: sharing(1) },
    { bound: bound(sim.minor), lists: sharing(10) },
    { bound: bound(sim.subMajor), lists: sharing(100) },
    { bound: bound(sim.major), lists: sharing(1000) },
    {
      bound: bound(0),
      lists: (visit) => c.cells.near(o.lat[j]!, o.lon[j]!, o.remote[j] === 1 ? Infinity : null, visit),
    },
  ];
  return groups.sort((a, b) => b.bound - a.bound);
}
