/**
 * bench:referrals — officer views over many referrals, and "sent → visible in the receiver's inbox"
 * at 100 referrals/s, on the embedded default (SQLite), as a growth curve over the number of referrals
 * (BENCH_REFERRALS_SIZES, default 100,000, 200,000, 400,000). Seeds through the real deciders and
 * projection (append events, then catchUpProjections; both measured every run), prints figures and
 * writes bench/results/referrals.json.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { startProjector } from '@estia/infra/projections/projector.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { createBlindIndex } from '../src/application/blindIndex.js';
import { createReferralsApplication } from '../src/application/referralsApplication.js';
import { referralsReadModelProjection } from '../src/projections/readModelProjection.js';
import { clientOverview, countsByStatus, inbox, outbox, overdueReferrals } from '../src/projections/queries.js';
import { runCurve, type PointRecorder } from '../../../bench/curve.js';
import { appendReferrals, referralTraffic } from './referralEvents.js';
import { applyRegistryFacts, membershipChanged, servicePublished } from '../src/testing/registryEvents.js';

const ORGS = 200;
const TARGET_P95_MS = 20;

async function body(N: number, record: PointRecorder): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-referrals-'));
  const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
  const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
  const keysDb = await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
  const keyStore = await createSqlKeyStore(keysDb, { kek: parseKeyEncryptionKey(randomBytes(32).toString('base64')) });
  const blindIndex = createBlindIndex(randomBytes(32));
  const projection = referralsReadModelProjection(keyStore, blindIndex);
  await projection.migrate(db);
  const traffic = referralTraffic(ORGS);
  await applyRegistryFacts(db, [
    ...traffic.organisations.map((o) => membershipChanged(o)),
    ...traffic.organisations.map((o, i) =>
      servicePublished({ serviceId: traffic.services[i]!, organisationId: o, category: 'housing' }),
    ),
  ]);
  try {
    const seeded = await record.phase('seed (append)', () =>
      appendReferrals(store, traffic, { referrals: N }, (events, referrals) =>
        record.progress('referrals appended', referrals, N),
      ),
    );
    record.figure('events', seeded.events);
    const applied = await record.phase('project', () =>
      catchUpProjections(store, db, [projection], 2000, (_, __, n) =>
        record.progress('events projected', n, seeded.events),
      ),
    );
    record.figure('events projected', applied);
    record.figure('projected events/s', seeded.events / record.phaseSeconds('project'));
    const [{ n: rows }] = (await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM rf_referrals')) as [{ n: number }];
    record.figure('referrals in the read model', rows);
    await views();
  } finally {
    await store.close();
    await db.close();
    await keysDb.close();
    rmSync(dir, { recursive: true, force: true });
  }

  async function views(): Promise<void> {
    // ---- officer views --------------------------------------------------------------------------------
    const SAMPLES = 400;
    const views: Record<string, (k: number) => Promise<unknown>> = {
      inbox: async (k) => (await inbox(db, traffic.organisations[k % ORGS]!)).items,
      'inbox requested': async (k) =>
        (await inbox(db, traffic.organisations[k % ORGS]!, { status: 'requested' })).items,
      outbox: async (k) => (await outbox(db, traffic.organisations[k % ORGS]!)).items,
      'outbox accepted': async (k) =>
        (await outbox(db, traffic.organisations[k % ORGS]!, { status: 'accepted' })).items,
      // A deep page: keyset means it costs what the first page costs.
      'inbox pages 1-5': async (k) => {
        let page = await inbox(db, traffic.organisations[k % ORGS]!);
        for (let i = 1; i < 5 && page.next; i++)
          page = await inbox(db, traffic.organisations[k % ORGS]!, { after: page.next });
        return page.items;
      },
      overdue: (k) =>
        overdueReferrals(db, new Date().toISOString(), {
          organisationId: traffic.organisations[k % ORGS]!,
          side: 'receiver',
        }),
      'counts per status': (k) => countsByStatus(db, traffic.organisations[k % ORGS]!, new Date().toISOString()),
      'client overview': (k) => clientOverview(db, traffic.sampledClients[k % traffic.sampledClients.length]!),
    };

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
      record.latency(name, samples);
      if (size) record.figure(`${name} rows per answer`, size / SAMPLES);
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
      const ctx = { actor: traffic.officer(0) };
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
              { actor: traffic.officer(0) },
              {
                referralId,
                clientId: live[i % LIVE_CLIENTS]!,
                serviceId: traffic.services[receiver]!,
                share: ['needs'],
              },
            );
            await projector.waitFor(result.lastPosition!, 30_000);
            const seen = (await inbox(db, traffic.organisations[receiver]!, { status: 'requested' })).items;
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
    const visible = record.latency('sent→inbox at 100/s', latencies);
    record.figure('sent→inbox achieved rate', achievedRate);
    record.figure('sent→inbox failures', failures);
    console.log(
      `sent→inbox at ${RATE}/s (achieved ${achievedRate.toFixed(1)}/s, ${failures} failed): p50 ${visible.p50} ms  p95 ${visible.p95} ms  p99 ${visible.p99} ms`,
    );

    // ---- registration answer: "may already be known" vs a new client, by an officer of another organisation --
    // The duplicate check opens the same number of profiles either way; this measures what the caller sees.
    const REGISTRATIONS = Number(process.env.BENCH_REGISTRATIONS ?? 200);
    const known: number[] = [];
    const unknown: number[] = [];
    const stranger = { actor: traffic.officer(1) };
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
    const registrationAnswer = {
      knownInNetwork: record.latency('registration answer, known', known),
      newClient: record.latency('registration answer, new', unknown),
    };
    console.log(
      `registration answer: known p50 ${registrationAnswer.knownInNetwork.p50} ms p95 ${registrationAnswer.knownInNetwork.p95} ms; ` +
        `new p50 ${registrationAnswer.newClient.p50} ms p95 ${registrationAnswer.newClient.p95} ms (the new one also appends)`,
    );
    await projector.stop();
  }
}

await runCurve({
  name: 'referrals',
  unit: 'referrals',
  sizesEnv: 'BENCH_REFERRALS_SIZES',
  defaultSizes: [100_000, 200_000, 400_000],
  meta: { adapter: 'sqlite (embedded default)', organisations: ORGS, viewsTargetP95Ms: TARGET_P95_MS },
  body,
  verdict: (points) =>
    points.map((p) => {
      const views = Object.entries(p.latencies).filter(([k]) => !k.startsWith('sent') && !k.startsWith('registration'));
      const worst = Math.max(...views.map(([, l]) => l.p95));
      return `${p.size} referrals: worst officer-view p95 ${worst} ms (target ≤ ${TARGET_P95_MS} ms: ${worst <= TARGET_P95_MS ? 'met' : 'NOT met'}); projected ${p.figures['projected events/s']} events/s`;
    }),
});
