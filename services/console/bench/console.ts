/**
 * bench:console — an officer's first screens through the console's back end, as a growth curve over the
 * network's referrals (BENCH_CONSOLE_SIZES, default 100,000, 200,000, 400,000; the organisation's
 * caseload is a tenth of it: 10,000 … 40,000 clients): the first page of the caseload and of the inbox,
 * each request a real HTTP round trip browser → back end (session cookie, sealed token) → referrals
 * service (token verified, access checked, read models, names opened for the page). Seeds through the
 * real application and deciders (measured); writes bench/results/console.json. Target: p95 ≤ 150 ms for
 * both first pages at every size.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { createLogger } from '@estia/infra/http/logger.js';
import { runCurve, type PointRecorder } from '../../../bench/curve.js';
import { referralDecider } from '../../referrals/src/domain/referrals/referralDecider.js';
import type { ReferralCommand, ReferralEvent } from '../../referrals/src/domain/referrals/referralTypes.js';
import type { Actor } from '../../referrals/src/domain/shared/actor.js';
import { startReferralsHarness } from '../../referrals/src/testing/referralsHarness.js';
import { membershipChanged, servicePublished } from '../../referrals/src/testing/registryEvents.js';
import { buildConsoleApp } from '../src/server/consoleApp.js';
import { newSessionSecret } from '../src/server/sessions/sessionSecret.js';
import { openSessionStore } from '../src/server/sessions/sessionStore.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const TARGET_P95_MS = 150;
const ORGS = 200;
const FIRST_PAGES = ['caseload first page', 'inbox first page'];

const orgs = Array.from({ length: ORGS }, () => randomUUID());
const services = orgs.map(() => randomUUID());
const FOCAL = orgs[0]!;
const officer = (i: number): Actor => ({ organisationId: orgs[i]!, userId: `u-${i}`, roles: ['referral_officer'] });

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
async function measure(referrals: number, record: PointRecorder): Promise<void> {
  const clients = Math.ceil(referrals / 10);
  const h = await startReferralsHarness({
    name: 'bench-console',
    logLevel: 'warn',
    facts: [
      ...orgs.map((o) => membershipChanged(o)),
      ...orgs.map((o, i) => servicePublished({ serviceId: services[i]!, organisationId: o, category: 'housing' })),
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'bench-console-'));

  // The organisation's caseload through the application (duplicate review, sealing, blind index).
  await record.phase('seed: register clients', async () => {
    const ctx = { actor: officer(0) };
    let next = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < clients) {
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
          record.progress('registered clients', ++done, clients);
        }
      }),
    );
  });

  // Referrals across the network through the decider, appended and projected; the focal org receives a tenth.
  await record.phase('seed: append and project referrals', async () => {
    const CHUNK = 500;
    let head = 0;
    for (let i = 0; i < referrals; i += CHUNK) {
      const appends = [];
      for (let j = i; j < Math.min(referrals, i + CHUNK); j++) {
        const events = eventsFor(j);
        const referralId = (events[0]!.data as { referralId: string }).referralId;
        appends.push(h.store.append(`referral-${referralId}`, events, { expectedVersion: 'no-stream' }));
      }
      for (const appended of await Promise.all(appends)) head = Math.max(head, appended.lastPosition);
      record.progress('appended referrals', Math.min(referrals, i + CHUNK), referrals);
    }
    await h.projector.waitFor(head, 30 * 60_000);
  });
  const [{ n: rows }] = (await h.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM rf_referrals')) as [{ n: number }];
  record.figure('referrals projected', Number(rows));
  record.figure('clients in the caseload', clients);

  // The console's back end in front of the referrals service, a signed-in officer of the focal org.
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
  for (const [name, path] of Object.entries(views)) {
    const samples: number[] = [];
    for (let k = 0; k < SAMPLES + 20; k++) {
      const t0 = performance.now();
      const res = await fetch(consoleUrl + path, { headers: { cookie } });
      const body = (await res.json()) as { items?: unknown[] };
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(body)}`);
      if (body.items && body.items.length === 0) throw new Error(`${name}: an empty page measures nothing`);
      if (k >= 20) samples.push(ms); // the first answers warm the caches
    }
    record.latency(name, samples);
  }

  await consoleApp.close();
  await sessions.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
}

await runCurve({
  name: 'console',
  unit: 'referrals',
  sizesEnv: 'BENCH_CONSOLE_SIZES',
  defaultSizes: [100_000, 200_000, 400_000],
  meta: {
    organisations: ORGS,
    caseload: "a tenth of the referrals, registered by the officer's organisation, which also receives a tenth of them",
    path: 'HTTP: console back end (session, CSRF-free GET) → referrals service (JWT, access, SQLite read models)',
    target: { firstPageP95Ms: TARGET_P95_MS },
  },
  body: measure,
  verdict: (points) =>
    points.flatMap((p) =>
      FIRST_PAGES.map((name) => {
        const p95 = p.latencies[name]?.p95 ?? Infinity;
        return `${p.size} referrals: ${name} p95 ${p95} ms (target ≤ ${TARGET_P95_MS}: ${p95 <= TARGET_P95_MS ? 'met' : 'NOT met'})`;
      }),
    ),
});
