/**
 * bench:referrals — officer views over 100,000 referrals, and "sent → visible in the receiver's inbox"
 * at 100 referrals/s, on the embedded default (SQLite). Seeds through the real deciders and projection
 * (append events, then catchUpProjections), prints figures and writes bench/results/referrals.json.
 * BENCH_REFERRALS=n changes the seed size.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { checkpointStore } from '@estia/infra/processors/checkpointStore.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { startProjector } from '@estia/infra/projections/projector.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { createBlindIndex } from '../src/application/blindIndex.js';
import { createReferralsApplication } from '../src/application/referralsApplication.js';
import { referralDecider } from '../src/domain/referrals/referralDecider.js';
import type { ReferralCommand, ReferralEvent } from '../src/domain/referrals/referralTypes.js';
import type { Actor } from '../src/domain/shared/actor.js';
import { READ_MODELS_CHECKPOINT, referralsReadModelProjection } from '../src/projections/readModelProjection.js';
import { clientOverview, countsByStatus, inbox, outbox, overdueReferrals } from '../src/projections/queries.js';
import { applyRegistryFacts, membershipChanged, servicePublished } from '../src/testing/registryEvents.js';

const N = Number(process.env.BENCH_REFERRALS ?? 100_000);
const ORGS = 200;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'bench-referrals-'));
const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
const keysDb = await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
const keyStore = await createSqlKeyStore(keysDb, { kek: parseKeyEncryptionKey(randomBytes(32).toString('base64')) });
const blindIndex = createBlindIndex(randomBytes(32));
const projection = referralsReadModelProjection(keyStore, blindIndex);
await projection.migrate(db);

const orgs = Array.from({ length: ORGS }, () => randomUUID());
const services = orgs.map(() => randomUUID());
await applyRegistryFacts(db, [
  ...orgs.map((o) => membershipChanged(o)),
  ...orgs.map((o, i) => servicePublished({ serviceId: services[i]!, organisationId: o, category: 'housing' })),
]);

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const summary = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    n: s.length,
    p50: r(quantile(s, 0.5)),
    p95: r(quantile(s, 0.95)),
    p99: r(quantile(s, 0.99)),
    max: r(s[s.length - 1]!),
  };
};
const officer = (i: number): Actor => ({ organisationId: orgs[i]!, userId: `u-${i}`, roles: ['referral_officer'] });

// ---- seed: events from the real decider, appended, then projected by the real projection ----------
const now = Date.now();
const seedStart = performance.now();
const clientIds: string[] = [];
const eventsFor = (i: number): ReferralEvent[] => {
  const s = i % ORGS;
  const r = (s * 7 + 1 + (i % 13)) % ORGS === s ? (s + 1) % ORGS : (s * 7 + 1 + (i % 13)) % ORGS;
  const clientId = randomUUID();
  if (i % 50 === 0) clientIds.push(clientId);
  const at = new Date(now - (i % 60) * 86_400_000 - (i % 1000) * 1000).toISOString();
  const referralId = randomUUID();
  const consent = {
    consentId: randomUUID(),
    clientId,
    purpose: 'referral' as const,
    recipient: { serviceCategory: 'housing' as const },
    scope: ['needs' as const],
    method: 'written' as const,
    recordedBy: { organisationId: orgs[s]!, userId: 'u' },
    givenAt: new Date(now - 90 * 86_400_000).toISOString(),
    expiresAt: null,
    withdrawnAt: null,
  };
  const commands: ReferralCommand[] = [
    {
      type: 'SendReferral',
      referralId,
      now: at,
      actor: officer(s),
      actorOrganisation: { mayExchange: true },
      clientId,
      receiver: { organisationId: orgs[r]!, mayExchange: true },
      serviceId: services[r]!,
      category: 'housing',
      share: ['needs'],
      responseTimeHours: 72,
      client: { status: 'active', visibleToSender: true },
      consents: [consent],
    },
  ];
  const mayR = { actor: officer(r), actorOrganisation: { mayExchange: true }, referralId, now: at };
  // A realistic mix: most answered, a third worked on, some closed; the rest wait (some overdue).
  if (i % 3 !== 0) commands.push({ type: 'AcceptReferral', ...mayR } as ReferralCommand);
  if (i % 3 === 1) commands.push({ type: 'StartReferral', ...mayR } as ReferralCommand);
  if (i % 9 === 1) commands.push({ type: 'CompleteReferral', ...mayR, outcome: 'need_met' } as ReferralCommand);
  const events: ReferralEvent[] = [];
  let state = referralDecider.initialState();
  for (const c of commands)
    for (const e of referralDecider.decide(c, state)) {
      events.push(e);
      state = referralDecider.evolve(state, e);
    }
  return events;
};
const CHUNK = 500;
for (let i = 0; i < N; i += CHUNK) {
  const appends = [];
  for (let j = i; j < Math.min(N, i + CHUNK); j++) {
    const events = eventsFor(j);
    const referralId = (events[0]!.data as { referralId: string }).referralId;
    appends.push(store.append(`referral-${referralId}`, events, { expectedVersion: 'no-stream' }));
  }
  await Promise.all(appends);
  if ((i + CHUNK) % 10_000 === 0) process.stdout.write(`\rseeded ${i + CHUNK}/${N} referrals (events)   `);
}
const appendedMs = performance.now() - seedStart;
console.log(`\nappended ${N} referrals in ${(appendedMs / 1000).toFixed(1)} s; projecting...`);
const progressDb = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
const progress = setInterval(() => {
  void checkpointStore
    .load(progressDb, READ_MODELS_CHECKPOINT)
    .then((p) => process.stdout.write(`\rprojected to log position ${p ?? 0}   `))
    .catch(() => undefined);
}, 2000);
const projectStart = performance.now();
await catchUpProjections(store, db, [projection], 2000);
clearInterval(progress);
await progressDb.close();
const projectMs = performance.now() - projectStart;
const head = (await checkpointStore.load(db, READ_MODELS_CHECKPOINT)) ?? 0;
const [{ n: rows }] = (await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM rf_referrals')) as [{ n: number }];
console.log(`\nprojected ${rows} referrals (${head} events) in ${(projectMs / 1000).toFixed(1)} s`);

// ---- officer views --------------------------------------------------------------------------------
const SAMPLES = 400;
const views: Record<string, (k: number) => Promise<unknown>> = {
  inbox: async (k) => (await inbox(db, orgs[k % ORGS]!)).items,
  'inbox requested': async (k) => (await inbox(db, orgs[k % ORGS]!, { status: 'requested' })).items,
  outbox: async (k) => (await outbox(db, orgs[k % ORGS]!)).items,
  'outbox accepted': async (k) => (await outbox(db, orgs[k % ORGS]!, { status: 'accepted' })).items,
  // A deep page: keyset means it costs what the first page costs.
  'inbox pages 1-5': async (k) => {
    let page = await inbox(db, orgs[k % ORGS]!);
    for (let i = 1; i < 5 && page.next; i++) page = await inbox(db, orgs[k % ORGS]!, { after: page.next });
    return page.items;
  },
  overdue: (k) => overdueReferrals(db, new Date().toISOString(), { organisationId: orgs[k % ORGS]!, side: 'receiver' }),
  'counts per status': (k) => countsByStatus(db, orgs[k % ORGS]!, new Date().toISOString()),
  'client overview': (k) => clientOverview(db, clientIds[k % clientIds.length]!),
};
const viewResults: Record<string, ReturnType<typeof summary> & { rowsPerAnswer?: number }> = {};
for (const [name, run] of Object.entries(views)) {
  for (let k = 0; k < 20; k++) await run(k); // warm-up
  const samples: number[] = [];
  let size = 0;
  for (let k = 0; k < SAMPLES; k++) {
    const t = performance.now();
    const out = await run(k * 7919);
    samples.push(performance.now() - t);
    if (Array.isArray(out)) size += out.length;
  }
  viewResults[name] = { ...summary(samples), ...(size ? { rowsPerAnswer: Math.round(size / SAMPLES) } : {}) };
  console.log(
    `${name.padEnd(18)} p50 ${viewResults[name].p50} ms  p95 ${viewResults[name].p95} ms  p99 ${viewResults[name].p99} ms`,
  );
}

// ---- live: send through the real command handler at 100/s, wait until the receiver's inbox shows it --
const projector = await startProjector({ store, db, projections: [projection] });
await projector.caughtUp;
const app = createReferralsApplication({ store, db, keyStore, blindIndex });
const LIVE_CLIENTS = 50;
/** Letters only: names are compared by their letters, so each live client is told apart from the others. */
const benchName = (c: number): string => `${'abcdefghij'[c % 10]}${'klmnopqrst'[Math.floor(c / 10) % 10]}x`;
const live: string[] = [];
for (let c = 0; c < LIVE_CLIENTS; c++) {
  const clientId = randomUUID();
  const ctx = { actor: officer(0) };
  await app.registerClient(ctx, {
    clientId,
    confirmedNew: true,
    personal: {
      givenNames: `Bench ${benchName(c)}`,
      familyName: 'Client',
      dateOfBirth: `19${60 + (c % 40)}-0${1 + (c % 9)}-1${c % 10}`,
      nationalities: ['SY'],
      languages: [],
      legalStatus: { status: 'asylum_seeker' },
    },
  });
  const r = await app.clientCommand(ctx, {
    type: 'GiveConsent',
    clientId,
    consentId: randomUUID(),
    purpose: 'referral',
    recipient: { serviceCategory: 'housing' },
    scope: ['needs'],
    method: 'written',
    expiresAt: null,
  });
  await projector.waitFor(r.lastPosition!);
  live.push(clientId);
}
const RATE = 100;
const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 10);
const total = RATE * SECONDS;
const latencies: number[] = [];
let failures = 0;
const liveStart = performance.now();
const sends: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = liveStart + (i * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const receiver = 1 + (i % (ORGS - 1));
  sends.push(
    (async () => {
      const t = performance.now();
      const referralId = randomUUID();
      try {
        const result = await app.sendReferral(
          { actor: officer(0) },
          { referralId, clientId: live[i % LIVE_CLIENTS]!, serviceId: services[receiver]!, share: ['needs'] },
        );
        await projector.waitFor(result.lastPosition!, 30_000);
        const seen = (await inbox(db, orgs[receiver]!, { status: 'requested' })).items;
        if (!seen.some((r) => r.referralId === referralId)) throw new Error('not in inbox after projection');
        latencies.push(performance.now() - t);
      } catch (error) {
        failures++;
        if (failures < 3) console.error(error);
      }
    })(),
  );
}
await Promise.all(sends);
const achievedRate = total / ((performance.now() - liveStart) / 1000);
const visible = summary(latencies);
console.log(
  `sent→inbox at ${RATE}/s (achieved ${achievedRate.toFixed(1)}/s, ${failures} failed): p50 ${visible.p50} ms  p95 ${visible.p95} ms  p99 ${visible.p99} ms`,
);

// ---- registration answer: "may already be known" vs a new client, by an officer of another organisation --
// The duplicate check opens the same number of profiles either way; this measures what the caller sees.
const REGISTRATIONS = Number(process.env.BENCH_REGISTRATIONS ?? 200);
const known: number[] = [];
const unknown: number[] = [];
const stranger = { actor: officer(1) };
for (let i = 0; i < REGISTRATIONS; i++) {
  const c = i % LIVE_CLIENTS;
  const knownPerson = {
    givenNames: `Bench ${benchName(c)}`,
    familyName: 'Client',
    dateOfBirth: `19${60 + (c % 40)}-0${1 + (c % 9)}-1${c % 10}`,
    nationalities: ['SY'],
    languages: [],
    legalStatus: { status: 'asylum_seeker' as const },
  };
  const newPerson = { ...knownPerson, givenNames: `Novel ${benchName(i)}q`, familyName: `Person${'wxyz'[i % 4]}` };
  for (const [person, samples] of [
    [knownPerson, known],
    [newPerson, unknown],
  ] as const) {
    const t = performance.now();
    await app.registerClient(stranger, { clientId: randomUUID(), personal: person }).catch(() => undefined);
    samples.push(performance.now() - t);
  }
}
const registrationAnswer = { knownInNetwork: summary(known), newClient: summary(unknown) };
console.log(
  `registration answer: known p50 ${registrationAnswer.knownInNetwork.p50} ms p95 ${registrationAnswer.knownInNetwork.p95} ms; ` +
    `new p50 ${registrationAnswer.newClient.p50} ms p95 ${registrationAnswer.newClient.p95} ms (the new one also appends)`,
);
await projector.stop();

const targetMs = 20;
const result = {
  bench: 'referrals',
  at: new Date().toISOString(),
  node: process.version,
  adapter: 'sqlite (embedded default)',
  seed: {
    referrals: rows,
    events: head,
    organisations: ORGS,
    appendSeconds: appendedMs / 1000,
    projectSeconds: projectMs / 1000,
  },
  views: viewResults,
  viewsTargetP95Ms: targetMs,
  viewsMeetTarget: Object.values(viewResults).every((v) => v.p95 <= targetMs),
  sentToInbox: { ratePerSecond: RATE, achievedRate, failures, ...visible },
  registrationAnswer,
};
const out = join(root, 'bench', 'results', 'referrals.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);
await store.close();
await db.close();
await keysDb.close();
rmSync(dir, { recursive: true, force: true });
