import { scopesForRoles } from '@estia/infra/auth/scopes.js';
import { loadOpenApi } from '@estia/contracts';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventDataByType, EventEnvelope, EventType } from '@estia/contracts';
import type { Role } from '@estia/infra/auth/principal.js';
import { createTestIssuer, type TestIssuer } from '@estia/infra/auth/testIssuer.js';
import { audienceOf, createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore, StoredEvent } from '@estia/infra/eventStore/types.js';
import { createHttpApp } from '@estia/infra/http/createHttpApp.js';
import { createLogger } from '@estia/infra/http/logger.js';
import { publicEvent } from '@estia/infra/processors/publicEvent.js';
import { startProjector, type Projector } from '@estia/infra/projections/projector.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { FastifyInstance } from 'fastify';
import { sharedEsco } from '../esco/loadEsco.js';
import { buildMatching } from '../matchingService.js';

const quiet = { info: () => undefined, warn: () => undefined };

/** The scopes a person's token carries for these roles (as the registry grants them). */
const scopesOf = (roles: Role[]): string[] => scopesForRoles(roles);

export interface MatchingHarness {
  dir: string;
  store: EventStore;
  db: SqlDatabase;
  app: FastifyInstance;
  projector: Projector;
  built: Awaited<ReturnType<typeof buildMatching>>;
  issuer: TestIssuer;
  token(organisationId: string, roles: Role[], subject?: string): Promise<string>;
  /** Delivers an integration event to matching's consumer for its topic, in one transaction as the runtime does. */
  deliver<T extends EventType>(type: T, subject: string, data: EventDataByType[T], actor: string): Promise<void>;
  /** Stops the read-model projection (to observe what happens before it catches up), then restarts it. */
  pauseProjections(): Promise<void>;
  resumeProjections(): Promise<void>;
  /** Waits until the read models include everything in the log. */
  settle(): Promise<void>;
  /** A second service instance over the same files: what a restart builds. */
  restart(): Promise<Awaited<ReturnType<typeof buildMatching>>>;
  /** Moves the service's clock (null: the real time again), e.g. to reach a follow-up's due date. */
  setNow(instant: string | null): void;
  close(): Promise<void>;
}

/** Matching over real SQLite files in a temp dir, HTTP through app.inject, consumers fed by hand. */
export async function startMatchingHarness(): Promise<MatchingHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'estia-matching-'));
  const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
  const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
  const issuer = await createTestIssuer({ audience: audienceOf('matching') });
  const esco = sharedEsco();
  let now: Date | null = null;
  const clock = () => now ?? new Date();
  const built = await buildMatching({ store, db, logger: quiet, esco, clock });
  let projector = await startProjector({ store, db, projections: built.parts.projections });
  await projector.caughtUp;
  // Routes wait through this, so the projector can be paused and restarted under them.
  const current: Projector = {
    get caughtUp() {
      return projector.caughtUp;
    },
    waitFor: (position, timeoutMs) => projector.waitFor(position, timeoutMs),
    rebuild: (name) => projector.rebuild(name),
    positions: () => projector.positions(),
    stop: () => projector.stop(),
  };
  const app = await createHttpApp({
    service: 'matching',
    auth: { verifier: createTokenVerifier(issuer.verifierOptions) },
    store,
    logger: createLogger({ service: 'matching', level: 'silent' }),
    openapi: loadOpenApi('matching') as unknown as Record<string, unknown>,
    rateLimit: false,
  });
  await built.parts.routes(app, current);
  await app.ready();

  const lastPosition = async (): Promise<number> => {
    let last = -1;
    for (;;) {
      const batch = await store.readAll({ after: last, maxCount: 1000 });
      if (batch.length === 0) return last;
      last = batch[batch.length - 1]!.position;
    }
  };

  return {
    dir,
    store,
    db,
    app,
    projector: current,
    built,
    async pauseProjections() {
      await projector.stop();
    },
    async resumeProjections() {
      projector = await startProjector({ store, db, projections: built.parts.projections });
      await projector.caughtUp;
    },
    issuer,
    token: (organisationId, roles, subject = `user-${roles.join('-')}`) =>
      issuer.sign({ organisationId, roles, subject, scopes: scopesOf(roles) }),
    async deliver(type, subject, data, actor) {
      const fake: StoredEvent = {
        id: randomUUID(),
        streamId: `upstream-${subject}`,
        revision: 0,
        position: 0,
        type: 'Upstream',
        data,
        metadata: { actor: { organisationId: actor, userId: 'upstream-user' } },
        recordedAt: new Date().toISOString(),
        hash: '',
      };
      const envelope = publicEvent(fake, type, subject, data).envelope as EventEnvelope;
      const topic = type.split('.').slice(0, 2).join('.');
      const consumer = built.parts.consumers!.find((c) => c.topics.includes(topic))!;
      await db.transaction((tx) =>
        consumer.handle(tx, envelope, { topic, partition: 0, offset: '0', key: subject, attempt: 1 }),
      );
    },
    async settle() {
      const position = await lastPosition();
      if (position >= 0) await projector.waitFor(position);
    },
    restart: () => buildMatching({ store, db, logger: quiet, esco, clock }),
    setNow: (instant) => {
      now = instant === null ? null : new Date(instant);
    },
    async close() {
      await app.close();
      await projector.stop();
      await store.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
