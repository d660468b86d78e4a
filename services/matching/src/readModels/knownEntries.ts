import type { MatchableCandidate, MatchableOpportunity } from '../matching/model.js';
import { candidateEntry, opportunityEntry, type Entry, type KnownEntries } from './engineSync.js';
import type { RowWrite } from './rowWrites.js';

/**
 * The engine entries a batch's folded writes (foldWrites.ts) decide whatever the rows held before:
 * a row's last write deletes it, or upserts it assigning every column the engine reads (the row is
 * there after an upsert, with those values whether it was inserted or updated). The values are the
 * ones the JSON columns were printed from, so the engine takes what it would parse from the row.
 * Rows left to other writes are read back (engineSync.ts).
 */
export function knownEntries(writes: readonly RowWrite[]): KnownEntries {
  const last = new Map<string, RowWrite>();
  for (const w of writes)
    if (w.table === 'matching_opportunities' || w.table === 'matching_candidates') last.set(w.key, w);
  const opportunities = new Map<string, Entry<MatchableOpportunity>>();
  const candidates = new Map<string, Entry<MatchableCandidate>>();
  for (const w of last.values()) {
    if (w.table === 'matching_candidates') {
      if (w.op === 'delete') candidates.set(w.id, null);
      else if (w.op === 'upsert' && 'consent_scope' in w.set && 'legal_status' in w.set && 'profile' in w.set) {
        const id = w.insert.client_id as string;
        // A profile printed as SQL NULL (none): nothing to match on, as with a row without one.
        candidates.set(
          id,
          w.set.profile === null || w.set.profile === undefined
            ? null
            : candidateEntry(
                id,
                w.json.consent_scope,
                w.set.legal_status == null ? null : w.json.legal_status,
                w.json.profile,
              ),
        );
      }
    } else if (w.op === 'upsert' && 'status' in w.set && 'details' in w.set) {
      const id = w.insert.opportunity_id as string;
      opportunities.set(
        id,
        opportunityEntry(id, w.set.status as string, () => w.json.details),
      );
    }
  }
  return { opportunities, candidates };
}
