/**
 * Test harness (used only by *.int.spec.ts): the referrals service laid out on disk exactly as main.ts
 * does it (DATA_DIR/referrals/{events,read,keys}.sqlite), with real tokens, the projector, the HTTP
 * routes (referrals + audit + reminders), a captured logger and, on demand, the relay into an
 * embedded bus file. The CLI can then be pointed at the same DATA_DIR.
 */
import { loadOpenApi } from '@estia/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestIssuer, type TestIssuer } from '@estia/infra/auth/testIssuer.js';
import type { Role } from '@estia/infra/auth/principal.js';
import { audienceOf, createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { createBus } from '@estia/infra/bus/createBus.js';
import type { Bus } from '@estia/infra/bus/types.js';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { createHttpApp } from '@estia/infra/http/createHttpApp.js';
import { createLogger } from '@estia/infra/http/logger.js';
import { startRelay, type Relay } from '@estia/infra/processors/relay.js';
import { startProjector, type Projector } from '@estia/infra/projections/projector.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { FastifyInstance } from 'fastify';
import { createBlindIndex, type BlindIndex } from '../application/blindIndex.js';
import { createReferralsApplication, type ReferralsApplication } from '../application/referralsApplication.js';
import { remindersProjection } from '../deadlines/remindersProjection.js';
import { reminderScheduleProjection } from '../deadlines/reminderSchedule.js';
import { referralsRoutes } from '../http/referralsRoutes.js';
import { createReferralsRelayMapper } from '../integration/publicEvents.js';
import { applyRegistryFacts, membershipChanged, servicePublished } from '../testing/registryEvents.js';
import { referralsReadModelProjection } from '../projections/readModelProjection.js';
import { auditRoutes } from './auditRoutes.js';

export interface AuditHarness {
  dataDir: string;
  /** DATA_DIR/referrals */
  dir: string;
  kekBase64: string;
  store: EventStore;
  db: SqlDatabase;
  keysDb: SqlDatabase;
  keyStore: KeyStore;
  blindIndex: BlindIndex;
  app: ReferralsApplication;
  projector: Projector;
  http: FastifyInstance;
  relay?: Relay;
  bus?: Bus;
  logLines: string[];
  orgA: string;
  orgB: string;
  /** A housing service offered by orgB. */
  housingAtB: string;
  headers(organisationId: string, roles?: Role[]): Promise<Record<string, string>>;
  /** Closes everything (SQLite checkpoints and removes its WAL files on the last close). */
  close(): Promise<void>;
  /** close() and delete the data directory. */
  dispose(): Promise<void>;
}

export async function startAuditHarness(options: { relay?: boolean; registerReminders?: boolean } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'referrals-audit-'));
  const dir = join(dataDir, 'referrals');
  const kekBase64 = randomBytes(32).toString('base64');
  const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
  const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
  const keysDb = await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
  const keyStore = await createSqlKeyStore(keysDb, { kek: parseKeyEncryptionKey(kekBase64) });
  const blindIndex = createBlindIndex(randomBytes(32));
  const projector = await startProjector({
    store,
    db,
    projections: [
      referralsReadModelProjection(keyStore, blindIndex),
      reminderScheduleProjection(keyStore, { permitDays: 30, receptionDays: 14 }),
      ...(options.registerReminders === false ? [] : [remindersProjection(keyStore)]),
    ],
  });
  const orgA = randomUUID();
  const orgB = randomUUID();
  const housingAtB = randomUUID();
  await applyRegistryFacts(db, [
    membershipChanged(orgA),
    membershipChanged(orgB),
    servicePublished({ serviceId: housingAtB, organisationId: orgB, category: 'housing', responseTimeHours: 72 }),
  ]);
  const issuer: TestIssuer = await createTestIssuer({ audience: audienceOf('referrals') });
  const logLines: string[] = [];
  const logger = createLogger({
    service: 'referrals-audit-test',
    level: 'debug',
    destination: { write: (line: string) => void logLines.push(line) },
  });
  const http = await createHttpApp({
    service: 'referrals-audit-test',
    logger,
    auth: { verifier: createTokenVerifier(issuer.verifierOptions) },
    store,
    openapi: loadOpenApi('referrals') as unknown as Record<string, unknown>,
    rateLimit: false,
  });
  const app = createReferralsApplication({ store, db, keyStore, blindIndex });
  await http.register(referralsRoutes, { prefix: '/v1', app, store, db, keyStore, blindIndex, projector });
  await http.register(auditRoutes, { prefix: '/v1', store, db, keyStore, projector });
  await http.ready();

  let bus: Bus | undefined;
  let relay: Relay | undefined;
  if (options.relay) {
    bus = createBus({ kind: 'embedded', path: join(dataDir, 'bus.sqlite') }, logger);
    relay = await startRelay({
      store,
      db,
      bus,
      name: 'referrals.relay',
      map: createReferralsRelayMapper({ store, keyStore }),
      logger,
    });
  }

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await http.close();
    await relay?.stop();
    await bus?.close();
    await projector.stop();
    await store.close();
    await db.close();
    await keysDb.close();
  };
  const harness: AuditHarness = {
    dataDir,
    dir,
    kekBase64,
    store,
    db,
    keysDb,
    keyStore,
    blindIndex,
    app,
    projector,
    http,
    ...(relay ? { relay } : {}),
    ...(bus ? { bus } : {}),
    logLines,
    orgA,
    orgB,
    housingAtB,
    headers: async (organisationId, roles = ['referral_officer']) => ({
      authorization: `Bearer ${await issuer.sign({ organisationId, roles, subject: `user-${organisationId.slice(0, 8)}` })}`,
    }),
    close,
    async dispose() {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Registers a client through the API, then gives a referral consent for housing; returns the id. */
export async function registerClient(
  h: AuditHarness,
  personal: Record<string, unknown>,
  consent: Record<string, unknown> = {
    purpose: 'referral',
    recipient: { serviceCategory: 'housing' },
    scope: ['needs', 'languages', 'legal_status_dates'],
    method: 'written',
  },
): Promise<string> {
  const headers = await h.headers(h.orgA);
  const registered = await h.http.inject({
    method: 'POST',
    url: '/v1/clients',
    headers,
    payload: { personal, confirmedNew: true },
  });
  if (registered.statusCode !== 201) throw new Error(`register: ${registered.body}`);
  const { clientId } = registered.json<{ clientId: string }>();
  const given = await h.http.inject({
    method: 'POST',
    url: `/v1/clients/${clientId}/consents`,
    headers,
    payload: consent,
  });
  if (given.statusCode !== 201) throw new Error(`consent: ${given.body}`);
  return clientId;
}
