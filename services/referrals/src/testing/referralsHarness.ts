/**
 * Test harness (used only by *.int.spec.ts): the referrals service on SQLite in a temp dir — event
 * store, read model, key store under a random KEK, the projector with the referrals read-model
 * projection, registry facts, a test token issuer and the fastify app with the referrals routes.
 * The registry facts stay in each spec so the organisations a test relies on are visible there.
 */
import { loadOpenApi } from '@estia/contracts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope } from '@estia/contracts';
import type { Role } from '@estia/infra/auth/principal.js';
import { createTestIssuer, type TestIssuer } from '@estia/infra/auth/testIssuer.js';
import { audienceOf, createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { createHttpApp } from '@estia/infra/http/createHttpApp.js';
import { createLogger } from '@estia/infra/http/logger.js';
import { startProjector, type Projector } from '@estia/infra/projections/projector.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { FastifyInstance } from 'fastify';
import { createBlindIndex, type BlindIndex } from '../application/blindIndex.js';
import { createReferralsApplication, type ReferralsApplication } from '../application/referralsApplication.js';
import { auditRoutes } from '../audit/auditRoutes.js';
import { referralsRoutes } from '../http/referralsRoutes.js';
import { referralsReadModelProjection } from '../projections/readModelProjection.js';
import { applyRegistryFacts } from './registryEvents.js';

export interface ReferralsHarnessOptions {
  /** Temp dir prefix, so a leftover dir names the spec that left it. */
  name?: string;
  /** Registry facts (membershipChanged, servicePublished) applied before the app starts. */
  facts?: readonly EventEnvelope[];
  /** Logger level; without it (and without captureLogs) the app keeps createHttpApp's default logger. */
  logLevel?: string;
  /** Collect every log line in `logLines` (to assert nothing personal is logged). */
  captureLogs?: boolean;
  /** Mount the auditors' and reminders' routes too (as main.ts does), for specs of every operation. */
  auditRoutes?: boolean;
  /** The application's clock (default: the system's), e.g. to move past a licence's expiry. */
  clock?: () => Date;
  /** Runs on the app before the routes are registered (e.g. an onRoute hook). */
  beforeRoutes?: (http: FastifyInstance) => void;
}

export interface ReferralsHarness {
  dir: string;
  kekBase64: string;
  store: EventStore;
  db: SqlDatabase;
  keysDb: SqlDatabase;
  keyStore: KeyStore;
  blindIndex: BlindIndex;
  projector: Projector;
  issuer: TestIssuer;
  app: ReferralsApplication;
  http: FastifyInstance;
  /** Empty unless captureLogs. */
  logLines: string[];
  /** Bearer header for a user of organisationId. */
  headers(organisationId: string, roles?: Role[], subject?: string): Promise<Record<string, string>>;
  /** Closes everything and deletes the temp dir; safe to call twice. */
  close(): Promise<void>;
}

export async function startReferralsHarness(options: ReferralsHarnessOptions = {}): Promise<ReferralsHarness> {
  const dir = mkdtempSync(join(tmpdir(), `referrals-${options.name ?? 'test'}-`));
  const kekBase64 = randomBytes(32).toString('base64');
  let store: EventStore | undefined;
  let db: SqlDatabase | undefined;
  let keysDb: SqlDatabase | undefined;
  let projector: Projector | undefined;
  let http: FastifyInstance | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await http?.close();
    await projector?.stop();
    await store?.close();
    await db?.close();
    await keysDb?.close();
    rmSync(dir, { recursive: true, force: true });
  };

  // A setup that fails half-way still closes what it opened (beforeAll's error is the one reported).
  try {
    store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    keysDb = await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
    const keyStore = await createSqlKeyStore(keysDb, { kek: parseKeyEncryptionKey(kekBase64) });
    const blindIndex = createBlindIndex(randomBytes(32));
    projector = await startProjector({ store, db, projections: [referralsReadModelProjection(keyStore, blindIndex)] });
    if (options.facts?.length) await applyRegistryFacts(db, options.facts);
    const issuer = await createTestIssuer({ audience: audienceOf('referrals') });
    const logLines: string[] = [];
    const logger =
      options.logLevel === undefined && !options.captureLogs
        ? undefined
        : createLogger({
            service: 'referrals-test',
            ...(options.logLevel === undefined ? {} : { level: options.logLevel }),
            ...(options.captureLogs ? { destination: { write: (line: string) => void logLines.push(line) } } : {}),
          });
    http = await createHttpApp({
      service: 'referrals-test',
      ...(logger ? { logger } : {}),
      auth: { verifier: createTokenVerifier(issuer.verifierOptions) },
      store,
      openapi: loadOpenApi('referrals') as unknown as Record<string, unknown>,
      rateLimit: false,
    });
    options.beforeRoutes?.(http);
    const app = createReferralsApplication({
      store,
      db,
      keyStore,
      blindIndex,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    await http.register(referralsRoutes, { prefix: '/v1', app, store, db, keyStore, blindIndex, projector });
    if (options.auditRoutes) await http.register(auditRoutes, { prefix: '/v1', store, db, keyStore, projector });
    await http.ready();
    return {
      dir,
      kekBase64,
      store,
      db,
      keysDb,
      keyStore,
      blindIndex,
      projector,
      issuer,
      app,
      http,
      logLines,
      headers: async (
        organisationId,
        roles = ['referral_officer'],
        subject = `user-${organisationId.slice(0, 8)}`,
      ) => ({
        authorization: `Bearer ${await issuer.sign({ organisationId, roles, subject })}`,
      }),
      close,
    };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
