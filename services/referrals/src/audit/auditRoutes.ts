import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { requireAuth } from '@estia/infra/auth/requireAuth.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { Projector } from '@estia/infra/projections/projector.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { auditReadsStreamId, recordAuditorRead, type AuditorRead } from '../application/auditReads.js';
import { hidden } from '../application/hidden.js';
import { clientStreamId } from '../domain/clients/clientDecider.js';
import { reminderRoutes } from '../deadlines/reminderRoutes.js';
import { contractSchema } from '../http/contractSchemas.js';
import { actorOf } from '../http/actor.js';
import { parseAsOf } from './asOf.js';
import { loadCaseHistory } from './caseHistory.js';
import { verifyCase } from './verifyCase.js';
import { zeroFreedBytes } from './zeroFreedBytes.js';

export interface AuditRoutesOptions {
  store: EventStore;
  db: SqlDatabase;
  keyStore: KeyStore;
  projector?: Projector;
}

// Client ids are UUIDs (the referrals-wide `Id` is a looser slug), so a malformed id is a 400, not a 404.
const clientParams = { type: 'object', properties: { id: contractSchema('Uuid') }, required: ['id'] };

/**
 * The auditor's API (mounted under /v1) plus the deadline reminders of an organisation. Auditors read
 * everything, read-only; each read is appended to the log (AuditorRead) BEFORE anything is answered.
 * An erased client's history still replays (the facts and the chain stay; the person reads as erased).
 */
export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (http, options) => {
  const { store, keyStore } = options;
  const auditorOnly = requireAuth({ roles: ['auditor'] });
  // Registered at start-up on the service's read-model connection: from then on, the rows erasure
  // deletes are zeroed in the file (main.ts registers no other hook for this; see zeroFreedBytes).
  await zeroFreedBytes(options.db);

  // Recorded once the read is sure to happen: a refused read, or one of nothing, is not a read.
  const record = async (request: FastifyRequest, clientId: string) => {
    if ((await store.streamVersion(clientStreamId(clientId))) === null) throw hidden('client');
    await recordAuditorRead(
      store,
      actorOf(request),
      { resource: 'client', resourceId: clientId },
      request.correlationId,
    );
  };

  http.get<{ Params: { id: string }; Querystring: { asOf?: string } }>(
    '/audit/clients/:id/history',
    {
      preHandler: auditorOnly,
      schema: {
        params: clientParams,
        querystring: contractSchema('AuditHistoryQuery'),
      },
    },
    async (request) => {
      const clientId = request.params.id;
      const asOf = request.query.asOf === undefined ? undefined : parseAsOf(request.query.asOf, '/querystring/asOf');
      await record(request, clientId);
      const history = await loadCaseHistory(store, keyStore, clientId, asOf === undefined ? {} : { asOf });
      if (!history) throw hidden('client');
      return history;
    },
  );

  http.get<{ Params: { id: string } }>(
    '/audit/clients/:id/verify',
    { preHandler: auditorOnly, schema: { params: clientParams } },
    async (request) => {
      const clientId = request.params.id;
      await record(request, clientId);
      const result = await verifyCase(store, clientId);
      if (!result) throw hidden('client');
      return result;
    },
  );

  // The auditor's own access log: every read the service recorded for them, newest first.
  http.get('/audit/reads', { preHandler: auditorOnly }, async (request) => {
    const reads = await store.readStream(auditReadsStreamId(actorOf(request).userId), {
      direction: 'backwards',
      maxCount: 500,
    });
    return {
      items: reads.map((e) => {
        const data = e.data as AuditorRead;
        return { resource: data.resource, resourceId: data.resourceId, at: e.recordedAt };
      }),
    };
  });

  // Only the dependencies: `options` also carries the parent's prefix, which would apply twice.
  await http.register(reminderRoutes, {
    store,
    db: options.db,
    keyStore,
    ...(options.projector ? { projector: options.projector } : {}),
  });
};
