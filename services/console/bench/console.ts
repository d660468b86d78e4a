/**
 * bench:console — an officer's first screens through the console's back end: the first page of the
 * caseload (10,000 clients registered by the organisation) and of the inbox (100,000 referrals in the
 * network), each request a real HTTP round trip browser → back end (session cookie, sealed token) →
 * referrals service (token verified, access checked, read models, names opened for the page).
 * Seeds through the real application and deciders; prints figures and writes bench/results/console.json.
 * BENCH_CLIENTS and BENCH_REFERRALS change the sizes. Target: p95 ≤ 150 ms for both first pages.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { createLogger } from '@estia/infra/http/logger.js';
import { referralDecider } from '../../referrals/src/domain/referrals/referralDecider.js';
import type { ReferralCommand, ReferralEvent } from '../../referrals/src/domain/referrals/referralTypes.js';
import type { Actor } from '../../referrals/src/domain/shared/actor.js';
import { startReferralsHarness } from '../../referrals/src/testing/referralsHarness.js';
import { membershipChanged, servicePublished } from '../../referrals/src/testing/registryEvents.js';
import { buildConsoleApp } from '../src/server/consoleApp.js';
import { newSessionSecret } from '../src/server/sessions/sessionSecret.js';
import { openSessionStore } from '../src/server/sessions/sessionStore.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000);
const REFERRALS = Number(process.env.BENCH_REFERRALS ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const TARGET_P95_MS = 150;
const ORGS = 200;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const orgs = Array.from({ length: ORGS }, () => randomUUID());
const services = orgs.map(() => randomUUID());
const FOCAL = orgs[0]!;
const h = await startReferralsHarness({
  name: 'bench-console',
  logLevel: 'warn',
  facts: [
    ...orgs.map((o) => membershipChanged(o)),
    ...orgs.map((o, i) => servicePublished({ serviceId: services[i]!, organisationId: o, category: 'housing' })),
  ],
});
const dir = mkdtempSync(join(tmpdir(), 'bench-console-'));

const officer = (i: number): Actor => ({ organisationId: orgs[i]!, userId: `u-${i}`, roles: ['referral_officer'] });
const progress = (label: string, done: number, total: number) => {
  if (done % Math.max(1, Math.floor(total / 20)) === 0) process.stderr.write(`\r${label} ${done}/${total}   `);
};
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
    max: r(s.at(-1)!),
  };
};

// ---- seed: the organisation's caseload through the application (duplicate review, sealing, blind index)
const GIVEN = [
  'Amal',
  'Farid',
  'Hevin',
  'Yonas',
  'Mariam',
  'Olena',
  'Samir',
  'Idris',
  'Nadia',
  'Kwame',
  'Leyla',
  'Tariq',
];
const FAMILY = ['Nasser', 'Rahimi', 'Barzani', 'Tesfaye', 'Diallo', 'Kovalenko', 'Jaber', 'Osmani', 'Mensah', 'Karimi'];
const seedStart = performance.now();
const ctx = { actor: officer(0) };
const WORKERS = 4;
let next = 0;
await Promise.all(
  Array.from({ length: WORKERS }, async () => {
    while (next < CLIENTS) {
      const c = next++;
      await h.app.registerClient(ctx, {
        clientId: randomUUID(),
        confirmedNew: true,
        personal: {
          givenNames: `${GIVEN[c % GIVEN.length]} ${String.fromCharCode(65 + (c % 26))}${String.fromCharCode(65 + (Math.floor(c / 26) % 26))}`,
          familyName: `${FAMILY[Math.floor(c / GIVEN.length) % FAMILY.length]}-${c}`,
          dateOfBirth: `19${60 + (c % 40)}-0${1 + (c % 9)}-1${c % 10}`,
          nationalities: ['SY'],
          languages: [{ language: 'ar', level: 'C2' }],
          legalStatus: { status: 'asylum_seeker', applicationDate: '2025-01-10' },
        },
      });
      progress('registered clients', c + 1, CLIENTS);
    }
  }),
);
const clientsSeconds = (performance.now() - seedStart) / 1000;

// ---- seed: referrals across the network through the decider, appended; the focal org receives a tenth
const now = Date.now();
const eventsFor = (i: number): ReferralEvent[] => {
  const receiver = i % 10 === 0 ? 0 : 1 + (i % (ORGS - 1));
  const sender = receiver === 0 ? 1 + (i % (ORGS - 1)) : (receiver + 1 + (i % 7)) % ORGS;
  const at = new Date(now - (i % 60) * 86_400_000 - (i % 1000) * 1000).toISOString();
  const referralId = randomUUID();
  const clientId = randomUUID();
  const command: ReferralCommand = {
    type: 'SendReferral',
    referralId,
    now: at,
    actor: officer(sender),
    actorOrganisation: { mayExchange: true },
    clientId,
    receiver: { organisationId: orgs[receiver]!, mayExchange: true },
    serviceId: services[receiver]!,
    category: 'housing',
    share: ['needs'],
    responseTimeHours: 72,
    client: { status: 'active', visibleToSender: true },
    consents: [
      {
        consentId: randomUUID(),
        clientId,
        purpose: 'referral',
        recipient: { serviceCategory: 'housing' },
        scope: ['needs'],
        method: 'written',
        recordedBy: { organisationId: orgs[sender]!, userId: 'u' },
        givenAt: new Date(now - 90 * 86_400_000).toISOString(),
        expiresAt: null,
        withdrawnAt: null,
      },
    ],
  };
  const commands: ReferralCommand[] = [command];
  const mayR = { actor: officer(receiver), actorOrganisation: { mayExchange: true }, referralId, now: at };
  if (i % 3 !== 0) commands.push({ type: 'AcceptReferral', ...mayR } as ReferralCommand);
  if (i % 3 === 1) commands.push({ type: 'StartReferral', ...mayR } as ReferralCommand);
  const events: ReferralEvent[] = [];
  let state = referralDecider.initialState();
  for (const c of commands)
    for (const e of referralDecider.decide(c, state)) {
      events.push(e);
      state = referralDecider.evolve(state, e);
    }
  return events;
};
const referralsStart = performance.now();
const CHUNK = 500;
let head = 0;
for (let i = 0; i < REFERRALS; i += CHUNK) {
  const appends = [];
  for (let j = i; j < Math.min(REFERRALS, i + CHUNK); j++) {
    const events = eventsFor(j);
    const referralId = (events[0]!.data as { referralId: string }).referralId;
    appends.push(h.store.append(`referral-${referralId}`, events, { expectedVersion: 'no-stream' }));
  }
  for (const appended of await Promise.all(appends)) head = Math.max(head, appended.lastPosition);
  progress('appended referrals', Math.min(REFERRALS, i + CHUNK), REFERRALS);
}
await h.projector.waitFor(head, 30 * 60_000);
const referralsSeconds = (performance.now() - referralsStart) / 1000;
const [{ n: rows }] = (await h.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM rf_referrals')) as [{ n: number }];
process.stderr.write(
  `\n${CLIENTS} clients in ${clientsSeconds.toFixed(1)} s; ${rows} referrals in ${referralsSeconds.toFixed(1)} s\n`,
);

// ---- the console's back end in front of the referrals service, a signed-in officer of the focal org
const referralsUrl = await h.http.listen({ port: 0, host: '127.0.0.1' });
const sessions = await openSessionStore({ path: join(dir, 'sessions.sqlite'), idleMs: 60 * 60_000 });
const consoleApp = await buildConsoleApp({
  sessions,
  verifier: createTokenVerifier(h.issuer.verifierOptions),
  upstream: { registry: referralsUrl, referrals: referralsUrl, matching: referralsUrl, insights: referralsUrl },
  idleMs: 60 * 60_000,
  distDir: null,
  logger: createLogger({ service: 'console-bench', level: 'warn' }),
});
const consoleUrl = await consoleApp.listen({ port: 0, host: '127.0.0.1' });
const secret = newSessionSecret();
const token = await h.issuer.sign({
  organisationId: FOCAL,
  roles: ['referral_officer'],
  subject: 'u-0',
  scopes: ['clients:read', 'referrals:read'],
});
await sessions.create(secret, token, Date.now() + 60 * 60_000);
const cookie = `estia_session=${secret.value}`;

const views: Record<string, string> = {
  'caseload first page': '/api/referrals/v1/clients?limit=25',
  'inbox first page': '/api/referrals/v1/referrals?box=inbox&limit=25',
  'referral counts': '/api/referrals/v1/referrals/counts',
};
const results: Record<string, ReturnType<typeof summary> & { items?: number }> = {};
for (const [name, path] of Object.entries(views)) {
  const samples: number[] = [];
  let items: number | undefined;
  for (let k = 0; k < SAMPLES + 20; k++) {
    const t0 = performance.now();
    const res = await fetch(consoleUrl + path, { headers: { cookie } });
    const body = (await res.json()) as { items?: unknown[] };
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
    items = body.items?.length;
    if (k >= 20) samples.push(ms); // the first answers warm the caches
  }
  results[name] = { ...summary(samples), ...(items === undefined ? {} : { items }) };
}

const pass = results['caseload first page']!.p95 <= TARGET_P95_MS && results['inbox first page']!.p95 <= TARGET_P95_MS;
console.log(`\nbench:console — ${CLIENTS} clients in the caseload, ${rows} referrals, through the back end (ms)`);
for (const [name, r] of Object.entries(results))
  console.log(
    `  ${name.padEnd(22)} p50 ${r.p50}  p95 ${r.p95}  p99 ${r.p99}  max ${r.max}${r.items === undefined ? '' : `  (${r.items} items)`}`,
  );
console.log(`target: first pages p95 ≤ ${TARGET_P95_MS} ms — ${pass ? 'met' : 'MISSED'}`);

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(root, 'bench', 'results', 'console.json'),
  JSON.stringify(
    {
      benchmark: 'console',
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg: loadavg() },
      sizes: { clients: CLIENTS, referrals: rows, organisations: ORGS, receivedByOfficer: Math.ceil(REFERRALS / 10) },
      seedSeconds: { clients: Math.round(clientsSeconds * 10) / 10, referrals: Math.round(referralsSeconds * 10) / 10 },
      path: 'HTTP: console back end (session, CSRF-free GET) → referrals service (JWT, access, SQLite read models)',
      latenciesMs: results,
      target: { firstPageP95Ms: TARGET_P95_MS, met: pass },
    },
    null,
    2,
  ) + '\n',
);
await consoleApp.close();
await sessions.close();
await h.close();
rmSync(dir, { recursive: true, force: true });
