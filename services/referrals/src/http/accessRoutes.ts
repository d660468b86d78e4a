import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { components } from '@estia/contracts/generated/openapi.referrals.js';
import { requireAuth } from '@estia/infra/auth/requireAuth.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { setEtag } from '@estia/infra/http/etag.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { BlindIndex } from '../application/blindIndex.js';
import { loadClientProfile } from '../application/clientProfile.js';
import { hidden } from '../application/hidden.js';
import type { CallContext, ReferralsApplication } from '../application/referralsApplication.js';
import { accessRequestStreamId, type AccessRequestStatus } from '../domain/accessRequests/accessRequestDecider.js';
import { searchQuery } from '../domain/clients/searchTerms.js';
import { holdsClient } from '../projections/access.js';
import {
  accessRequestById,
  accessRequestPage,
  accessRequestRow,
  erasureNoticePage,
} from '../projections/accessRequestQueries.js';
import { caseloadPage } from '../projections/clientSearch.js';
import { PAGE_SIZE } from '../projections/queries.js';
import { actorOf } from './actor.js';
import { contractSchema, pathParams } from './contractSchemas.js';
import { decodeCursor, encodeCursor } from './pageCursor.js';

type Body<Name extends keyof components['schemas']> = components['schemas'][Name];
type Result = { nextExpectedVersion: number | null; lastPosition?: number };

export interface AccessRoutesOptions {
  app: ReferralsApplication;
  store: EventStore;
  db: SqlDatabase;
  keyStore: KeyStore;
  blindIndex: BlindIndex;
  ctxOf: (request: FastifyRequest) => CallContext;
  created: (
    request: FastifyRequest,
    reply: FastifyReply,
    location: string,
    body: Record<string, string>,
    /** Runs the command: its decision is the answer (recorded with the events under an Idempotency-Key). */
    command: () => Promise<unknown>,
  ) => Promise<unknown>;
  done: (reply: FastifyReply, result: Result) => Promise<unknown>;
}

const officers = requireAuth({ roles: ['referral_officer'] });
/** A data protection officer finds the person who asked to be erased, and learns of erasures by others. */
const officersAndDpos = requireAuth({ roles: ['referral_officer', 'data_protection_officer'] });
const idParam = { params: pathParams('id') };

/**
 * The caseload search, access requests and erasure notices (registered inside the referrals routes,
 * under /v1, with their command helpers). Nothing here answers with another organisation's data
 * unless a relationship the holder granted allows it.
 */
export async function accessRoutes(http: FastifyInstance, options: AccessRoutesOptions): Promise<void> {
  const { app, store, db, keyStore, blindIndex, ctxOf, created, done } = options;
  const now = (): string => app.now();
  const pageOf = (limit: number | undefined): number => Math.min(PAGE_SIZE.max, limit ?? PAGE_SIZE.default);

  // ---- caseload search -------------------------------------------------------------------------
  http.get<{ Querystring: { q?: string; limit?: number; cursor?: string } }>(
    '/clients',
    { preHandler: officersAndDpos, schema: { querystring: contractSchema('ClientSearchQuery') } },
    async (request) => {
      const { q, cursor } = request.query;
      const query = q === undefined ? { allOf: [] } : searchQuery(q);
      if (query === null) return { items: [], nextCursor: null };
      const after = decodeCursor('caseload', cursor)?.id;
      const page = await caseloadPage(
        db,
        actorOf(request).organisationId,
        now(),
        query.allOf.map((group) => group.map(blindIndex.term)),
        { limit: pageOf(request.query.limit), ...(after === undefined ? {} : { after }) },
      );
      const items = [];
      // Names and dates are opened in memory for this page only; the index held none of them.
      for (const { clientId, basis } of page.items) {
        const profile = await loadClientProfile(store, keyStore, clientId);
        if (!profile || profile.erased) continue;
        items.push({
          clientId,
          access: basis,
          givenNames: profile.givenNames ?? '',
          familyName: profile.familyName ?? '',
          ...(profile.otherNames === undefined ? {} : { otherNames: profile.otherNames }),
          dateOfBirth: profile.dateOfBirth ?? '',
        });
      }
      return { items, nextCursor: encodeCursor('caseload', page.next === null ? null : { at: '', id: page.next }) };
    },
  );

  // ---- erasure notices (GDPR art. 19) ----------------------------------------------------------
  http.get<{ Querystring: { limit?: number; cursor?: string } }>(
    '/erasure-notices',
    { preHandler: officersAndDpos, schema: { querystring: contractSchema('PageQuery') } },
    async (request) => {
      const after = decodeCursor('erasure-notices', request.query.cursor);
      const page = await erasureNoticePage(db, actorOf(request).organisationId, {
        limit: pageOf(request.query.limit),
        ...(after === undefined ? {} : { after }),
      });
      return { items: page.items, nextCursor: encodeCursor('erasure-notices', page.next) };
    },
  );

  // ---- access requests -------------------------------------------------------------------------
  http.post(
    '/access-requests',
    { preHandler: officers, schema: { body: contractSchema('CreateAccessRequest') }, config: { idempotent: true } },
    async (request, reply) => {
      const b = request.body as Body<'CreateAccessRequest'>;
      const accessRequestId = randomUUID();
      return created(request, reply, `/v1/access-requests/${accessRequestId}`, { accessRequestId }, () =>
        app.requestAccess(ctxOf(request), {
          accessRequestId,
          token: b.token,
          purpose: b.purpose,
          scope: b.scope,
        }),
      );
    },
  );

  http.get<{
    Querystring: { box?: 'incoming' | 'outgoing'; status?: AccessRequestStatus; limit?: number; cursor?: string };
  }>(
    '/access-requests',
    { preHandler: officers, schema: { querystring: contractSchema('AccessRequestListQuery') } },
    async (request) => {
      const { box = 'incoming', status } = request.query;
      const after = decodeCursor('access-requests', request.query.cursor);
      const page = await accessRequestPage(db, actorOf(request).organisationId, box, now(), {
        limit: pageOf(request.query.limit),
        ...(status === undefined ? {} : { status }),
        ...(after === undefined ? {} : { after }),
      });
      return { items: page.items, nextCursor: encodeCursor('access-requests', page.next) };
    },
  );

  http.get<{ Params: { id: string } }>(
    '/access-requests/:id',
    { preHandler: officers, schema: idParam },
    async (request, reply) => {
      const organisationId = actorOf(request).organisationId;
      const row = await accessRequestRow(db, request.params.id);
      if (!row) throw hidden('access request');
      const side = (await holdsClient(db, organisationId, row.clientId))
        ? 'incoming'
        : row.requesterOrganisationId === organisationId
          ? 'outgoing'
          : null;
      if (side === null) throw hidden('access request');
      const view = await accessRequestById(db, request.params.id, side, now());
      if (!view) throw hidden('access request');
      setEtag(reply, await store.streamVersion(accessRequestStreamId(request.params.id)));
      return view;
    },
  );

  http.post<{ Params: { id: string }; Body: Body<'ApproveAccessRequest'> }>(
    '/access-requests/:id/approve',
    { schema: { ...idParam, body: contractSchema('ApproveAccessRequest') } },
    async (request, reply) =>
      done(
        reply,
        await app.answerAccessRequest(ctxOf(request), {
          type: 'ApproveAccessRequest',
          accessRequestId: request.params.id,
          consent: {
            ...request.body.consent,
            consentId: randomUUID(),
            expiresAt: request.body.consent.expiresAt ?? null,
          },
        }),
      ),
  );

  for (const action of ['decline', 'revoke'] as const)
    http.post<{ Params: { id: string }; Body: Body<'AccessRequestAnswer'> }>(
      `/access-requests/:id/${action}`,
      { schema: { ...idParam, body: contractSchema('AccessRequestAnswer') } },
      async (request, reply) =>
        done(
          reply,
          await app.answerAccessRequest(ctxOf(request), {
            type: action === 'decline' ? 'DeclineAccessRequest' : 'RevokeAccess',
            accessRequestId: request.params.id,
            reason: request.body.reason,
          }),
        ),
    );

  http.post<{ Params: { id: string } }>('/access-requests/:id/withdraw', { schema: idParam }, async (request, reply) =>
    done(
      reply,
      await app.answerAccessRequest(ctxOf(request), {
        type: 'WithdrawAccessRequest',
        accessRequestId: request.params.id,
      }),
    ),
  );
}
