import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { isAppError } from '@estia/infra/errors/appError.js';
import { matchingCommands, type MatchingCommandDeps } from '../application/matchingCommands.js';
import type { CandidateProfileData } from '../domain/candidates/candidateProfile.js';
import type { OpportunityDetails } from '../domain/opportunities/opportunity.js';
import { opportunityStreamId } from '../domain/opportunities/opportunityDecider.js';

/** The seeder's own record of its progress (what it published and placed), so a restart resumes it. */
export const DEMO_MATCHING_STREAM = 'demo-matching';

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The trades of the demo's job seekers (see the referrals demo), as the demo's employers ask for them. */
const TRADES: Record<string, Omit<OpportunityDetails, 'location' | 'startDate'>> = {
  '2a22ff9e-de3b-408d-b312-5034896cc4f4': {
    type: 'job',
    title: 'Carpenter for a renovation team (demo)',
    occupation: '2a22ff9e-de3b-408d-b312-5034896cc4f4',
    essentialSkills: ['11c0bfec-6bc8-4ec0-a535-91bd65be92c5', '2da864d4-339f-40ab-91c0-9f8d229a2c0b'],
    optionalSkills: ['05f05855-acac-4366-a6ee-42f0bebe3780'],
    languages: [{ language: 'el', minLevel: 'A2' }],
    contractType: 'permanent',
    hoursPerWeek: 40,
    pay: { amount: 1100, currency: 'EUR', per: 'month' },
    positions: 12,
    closingDate: null,
    drivingLicence: null,
  },
  '90f75f67-495d-49fa-ab57-2f320e251d7e': {
    type: 'job',
    title: 'Cook in a hotel kitchen (demo)',
    occupation: '90f75f67-495d-49fa-ab57-2f320e251d7e',
    essentialSkills: ['0ff99f51-40d9-42f1-a1ec-377b2bb5e15f'],
    optionalSkills: ['210827e3-3129-45a2-8683-70399f3f561f'],
    languages: [{ language: 'el', minLevel: 'B1' }],
    contractType: 'seasonal',
    hoursPerWeek: 40,
    pay: { amount: 1000, currency: 'EUR', per: 'month' },
    positions: 12,
    closingDate: null,
    drivingLicence: null,
  },
  'f756fdab-7726-4c48-bfcc-94ff8810fc08': {
    type: 'job',
    title: 'Kitchen porter, part time (demo)',
    occupation: 'f756fdab-7726-4c48-bfcc-94ff8810fc08',
    essentialSkills: ['0ff99f51-40d9-42f1-a1ec-377b2bb5e15f'],
    optionalSkills: [],
    languages: [],
    contractType: 'fixed_term',
    hoursPerWeek: 25,
    pay: { amount: 8, currency: 'EUR', per: 'hour' },
    positions: 12,
    closingDate: null,
    drivingLicence: null,
  },
};

const CITIES = [
  { name: 'Athens', latitude: 37.9838, longitude: 23.7275 },
  { name: 'Thessaloniki', latitude: 40.6401, longitude: 22.9444 },
  { name: 'Mytilene', latitude: 39.11, longitude: 26.5547 },
  { name: 'Ioannina', latitude: 39.665, longitude: 20.8537 },
  { name: 'Heraklion', latitude: 35.3387, longitude: 25.1442 },
  { name: 'Patras', latitude: 38.2466, longitude: 21.7346 },
];
const nearestCity = (p: { latitude: number; longitude: number }) =>
  CITIES.reduce((best, c) =>
    Math.hypot(c.latitude - p.latitude, c.longitude - p.longitude) <
    Math.hypot(best.latitude - p.latitude, best.longitude - p.longitude)
      ? c
      : best,
  );

interface DemoCandidate {
  clientId: string;
  organisationId: string;
  datesShared: boolean;
  profile: CandidateProfileData;
}

export interface DemoMatchingDeps extends Omit<MatchingCommandDeps, 'clock' | 'db'> {
  store: EventStore;
  db: SqlDatabase;
  /** Read-your-writes between steps (the commands read facts from the read models). */
  waitFor: (position: number) => Promise<void>;
  log: (message: string) => void;
  now?: () => number;
}

/** Who acted, as the API records it for a person (ids only). */
const metadataOf = (by: { organisationId: string; userId: string }) => ({ correlationId: 'demo-matching', actor: by });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * On a first start with DEMO_DATA=true: waits until the referrals demo has shared its job seekers' candidate
 * profiles (their number has not changed for `quietMs`), then seeds what a job coach's first screen needs.
 * Goes only into a network without opportunities of its own, or resumes its own interrupted run.
 */
export async function seedDemoMatchingWhenReady(
  deps: DemoMatchingDeps,
  options: { timeoutMs?: number; quietMs?: number } = {},
): Promise<number> {
  const progress = await deps.store.readStream(DEMO_MATCHING_STREAM);
  if (progress.some((e) => e.type === 'DemoMatchingSeeded')) return 0;
  if (progress.length === 0 && (await deps.store.listStreams({ prefix: opportunityStreamId(''), limit: 1 })).length > 0)
    return 0;
  const deadline = Date.now() + (options.timeoutMs ?? 570_000);
  const quietMs = options.quietMs ?? 20_000;
  let last = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    const [row] = await deps.db.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM matching_candidates WHERE profile IS NOT NULL',
    );
    const n = Number(row?.n ?? 0);
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (n > 0 && Date.now() - since >= quietMs) return seedDemoMatching(deps);
    await sleep(1_000);
  }
  deps.log(`demo opportunities not seeded: no candidate profiles arrived in time (${last})`);
  return 0;
}

/**
 * Seeds through the service's own commands (every rule applies, every event is real): per place where
 * demo job seekers live, one opportunity per trade, published by the demo's employers (started four
 * months ago, still open); per organisation holding candidates, one candidate hired about a hundred days
 * ago (the 1-month follow-up recorded, the 3-month one due) and one whose application was sent (or, when
 * the rules let only one through, that one also proposed for another trade).
 * Resumable: each step is recorded in DEMO_MATCHING_STREAM and skipped when done. Returns the steps taken.
 */
export async function seedDemoMatching(deps: DemoMatchingDeps): Promise<number> {
  const realNow = deps.now ?? Date.now;
  const startedAt = realNow();
  let clock = startedAt;
  const commands = matchingCommands({ ...deps, clock: () => new Date(clock) });
  const progress = await deps.store.readStream(DEMO_MATCHING_STREAM);
  const done = new Map<string, Record<string, unknown>>(
    progress.map((e) => [(e.data as { step: string }).step, e.data as Record<string, unknown>]),
  );
  const mark = async (step: string, data: Record<string, unknown> = {}) => {
    await deps.store.append(DEMO_MATCHING_STREAM, [{ type: 'DemoMatchingStep', data: { step, ...data } }], {
      expectedVersion: 'any',
    });
    done.set(step, { step, ...data });
  };
  const settle = async (result: { position: number | undefined }) => {
    if (result.position !== undefined) await deps.waitFor(result.position);
  };

  const organisations = await deps.db.query<{ organisation_id: string; kind: string }>(
    'SELECT organisation_id, kind FROM matching_organisations WHERE may_exchange = 1 ORDER BY organisation_id',
  );
  const employers = organisations.filter((o) => o.kind === 'employer');
  const publishers = employers.length > 0 ? employers : organisations;
  if (publishers.length === 0) return 0;
  const rows = await deps.db.query<{
    client_id: string;
    consent_organisation_id: string | null;
    consent_scope: string;
    profile: string;
  }>(
    `SELECT client_id, consent_organisation_id, consent_scope, profile FROM matching_candidates
     WHERE profile IS NOT NULL AND consent_organisation_id IS NOT NULL ORDER BY client_id`,
  );
  const candidates: DemoCandidate[] = rows.map((r) => ({
    clientId: r.client_id,
    organisationId: r.consent_organisation_id!,
    datesShared: (JSON.parse(r.consent_scope) as string[]).includes('legal_status_dates'),
    profile: JSON.parse(r.profile) as CandidateProfileData,
  }));

  // Where the job seekers live, to the nearest demo city: the employers offer work there.
  const cityOf = (c: DemoCandidate) => nearestCity(c.profile.location);
  const cities = [...new Set(candidates.map((c) => cityOf(c).name))].sort();
  let steps = 0;
  const opportunityFor = new Map<string, string>();
  for (const [cityIndex, cityName] of cities.entries()) {
    const city = CITIES.find((c) => c.name === cityName)!;
    for (const [tradeIndex, [occupation, trade]] of Object.entries(TRADES).entries()) {
      const step = `opportunity:${cityName}:${occupation}`;
      const publisher = publishers[(cityIndex * 3 + tradeIndex) % publishers.length]!.organisation_id;
      const publisherBy = { organisationId: publisher, userId: `demo-coach-${publisher.slice(0, 8)}` };
      if (!done.has(step)) {
        // Published four months ago, started a month later: its hires have follow-ups due by now.
        clock = startedAt - 130 * DAY;
        const published = await commands.publishOpportunity(
          publisherBy,
          {
            ...trade,
            title: trade.title.replace(' (demo)', ` — ${cityName} (demo)`),
            location: {
              remote: false,
              latitude: city.latitude,
              longitude: city.longitude,
              country: 'GR',
              locality: cityName,
            },
            startDate: isoDate(startedAt - 120 * DAY),
          },
          metadataOf(publisherBy),
        );
        await settle(published);
        await mark(step, { opportunityId: published.opportunityId });
        steps++;
      }
      opportunityFor.set(`${cityName}:${occupation}`, String(done.get(step)!.opportunityId));
    }
  }

  const byOrganisation = new Map<string, DemoCandidate[]>();
  for (const c of candidates.filter((x) => x.datesShared))
    byOrganisation.set(c.organisationId, [...(byOrganisation.get(c.organisationId) ?? []), c]);
  for (const [organisationId, mine] of [...byOrganisation].sort(([a], [b]) => a.localeCompare(b))) {
    const by = { organisationId, userId: `demo-coach-${organisationId.slice(0, 8)}` };
    // The first two candidates the rules let through: one hired, one with the application sent.
    let placed = mine.filter((c) => done.get(`placement:${c.clientId}`)?.placed === true).length;
    for (const candidate of mine) {
      if (placed >= 2) break;
      const step = `placement:${candidate.clientId}`;
      if (done.has(step)) continue;
      const occupation = candidate.profile.occupations[0]?.occupation ?? '';
      const opportunityId = opportunityFor.get(`${cityOf(candidate).name}:${occupation}`);
      if (!opportunityId) continue;
      const hire = placed === 0;
      try {
        clock = startedAt - (hire ? 6 : 5) * DAY;
        const proposed = await commands.propose(by, candidate.clientId, opportunityId, metadataOf(by));
        await settle(proposed);
        const next = async (stepCommand: Parameters<typeof commands.step>[2]) => {
          clock += 3 * 3_600_000;
          await settle(await commands.step(proposed.applicationId, by, stepCommand, metadataOf(by)));
        };
        await next({ type: 'RecordClientInterest', interested: true });
        await next({ type: 'SendApplication', fields: ['languages', 'skills', 'availability'] });
        if (hire) {
          await next({ type: 'ScheduleInterview', at: new Date(clock + DAY).toISOString() });
          await next({ type: 'MakeOffer' });
          // Recorded now, started a hundred days ago: the 1-month follow-up was due and is recorded, the
          // 3-month one is due and waits for the coach.
          clock = startedAt - 2 * DAY;
          await next({ type: 'RecordHired', startDate: isoDate(startedAt - 100 * DAY) });
          await next({ type: 'RecordFollowUp', month: 1, stillEmployed: true });
        }
        placed++;
        await mark(step, { placed: true });
      } catch (error) {
        // A candidate the rules refuse (no right to work for this kind of work yet): the next one is tried.
        if (!isAppError(error)) throw error;
        deps.log(`demo placement skipped: ${error.message}`);
        await mark(step, { placed: false });
      }
      steps++;
    }
    // Where the rules let only one through, that candidate is also proposed for another trade nearby:
    // the coach's pipeline has a proposal waiting for the client's answer.
    const first = mine.find((c) => done.get(`placement:${c.clientId}`)?.placed === true);
    const extra = first && `placement-extra:${first.clientId}`;
    if (placed < 2 && first && extra && !done.has(extra)) {
      const occupation = first.profile.occupations[0]?.occupation ?? '';
      const other = Object.keys(TRADES).find((o) => o !== occupation);
      const opportunityId = other && opportunityFor.get(`${cityOf(first).name}:${other}`);
      if (opportunityId)
        try {
          clock = startedAt - DAY;
          await settle(await commands.propose(by, first.clientId, opportunityId, metadataOf(by)));
        } catch (error) {
          if (!isAppError(error)) throw error;
          deps.log(`demo proposal skipped: ${error.message}`);
        }
      await mark(extra);
      steps++;
    }
  }
  await deps.store.append(DEMO_MATCHING_STREAM, [{ type: 'DemoMatchingSeeded', data: { step: 'done' } }], {
    expectedVersion: 'any',
  });
  return steps;
}
