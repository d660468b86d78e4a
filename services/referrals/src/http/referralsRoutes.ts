import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@estia/infra/errors/appError.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { answerCommand, createdAnswer, noContentAnswer } from '@estia/infra/http/commandAnswer.js';
import { expectedVersionFromIfMatch, setEtag } from '@estia/infra/http/etag.js';
import type { Projector } from '@estia/infra/projections/projector.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { recordAuditorRead } from '../application/auditReads.js';
import { loadReferralHistory } from '../application/referralHistory.js';
import { loadClientProfile, profileWithinScope } from '../application/clientProfile.js';
import type { CallContext, ReferralsApplication } from '../application/referralsApplication.js';
import { referralStreamId, type ReferralEvent, type ReferralStatus } from '../domain/referrals/referralTypes.js';
import { openPersonalPart } from '../application/personalCodec.js';
import { isErased } from '@estia/infra/crypto/personalData.js';

type RequestedData = Extract<ReferralEvent, { type: 'ReferralRequested' }>['data'];
import type { Reason } from '../domain/shared/personal.js';
import type { BlindIndex } from '../application/blindIndex.js';
import { erasedClient, hidden } from '../application/hidden.js';
import { clientAccessFor, maySeeReferral } from '../projections/access.js';
import {
  clientOverview,
  countsByStatus,
  inbox,
  consentOverrides,
  needOf,
  outbox,
  overduePage,
  referralById,
  referralMessages,
  clientStatus,
} from '../projections/queries.js';
import { hasRole } from '../domain/shared/actor.js';
import { suggestServices } from '../directory/directoryQueries.js';
import { requireAuth } from '@estia/infra/auth/requireAuth.js';
import { actorOf } from './actor.js';
import { contractSchema, pathParams } from './contractSchemas.js';
import { decodeCursor, encodeCursor } from './pageCursor.js';
import { accessRoutes } from './accessRoutes.js';
import type { components } from '@estia/contracts/generated/openapi.referrals.js';

export interface ReferralsRoutesOptions {
  app: ReferralsApplication;
  store: EventStore;
  db: SqlDatabase;
  keyStore: KeyStore;
  blindIndex: BlindIndex;
  /** For read-your-writes: a command's answer waits until the read models saw its events. */
  projector?: Projector;
}

// Schema-first: request shapes come from contracts/openapi/referrals.json (400 with /body/... pointers);
// the deciders then check the rules a schema cannot (dates in order, consent, transitions).
const body = (name: string) => ({ body: contractSchema(name) });
const params = (...names: string[]) => ({ params: pathParams(...names) });
/** For bodies the contract marks optional (transitions, withdrawal): no body reads as `{}`. */
const optionalBody = async (request: FastifyRequest): Promise<void> => {
  if (request.body === undefined || request.body === null) request.body = {};
};

type Req<P = { id: string }, B = Record<string, unknown>> = FastifyRequest<{ Params: P; Body: B }>;

// Bodies as the contract types them (generated from contracts/openapi/referrals.json); the route schema
// validated their shape, the deciders check the rules and name the failing fields.
type Body<Name extends keyof components['schemas']> = components['schemas'][Name];
type ConsentBody = Body<'GiveConsentRequest'>;
type NeedBody = Body<'AssessNeedRequest'>;
type ReassessBody = Body<'ReassessNeedRequest'>;
type SendBody = Body<'SendReferralRequest'>;
type ForwardBody = Body<'ForwardReferralRequest'>;

const ctxOf = (request: FastifyRequest): CallContext => {
  const expectedVersion = expectedVersionFromIfMatch(request);
  return {
    actor: actorOf(request),
    correlationId: request.correlationId,
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
  };
};

/** Longest a command's answer waits for the read models to include it (see `settle`). */
const SETTLE_MS = 2_000;

/**
 * The referrals API (mounted under /v1). Thin: actor from the token, facts and rules in the
 * application and deciders, access rules on every read, ETag out.
 */
export const referralsRoutes: FastifyPluginAsync<ReferralsRoutesOptions> = async (http, options) => {
  const { app, store, db, keyStore, blindIndex, projector } = options;

  // Read-your-writes for the caller's next GET, bounded: the answer itself stands on the decision, so
  // a lagging read model delays it at most this long and never fails it.
  const settle = async (position: number): Promise<void> => {
    if (projector) await projector.waitFor(position, SETTLE_MS).catch(() => undefined);
  };
  const done = async (reply: FastifyReply, result: { nextExpectedVersion: number | null; lastPosition?: number }) => {
    if (result.lastPosition !== undefined) await settle(result.lastPosition);
    setEtag(reply, result.nextExpectedVersion);
    return reply.code(204).send();
  };
  /** 201 from the command's decision; with an Idempotency-Key it is committed with the events. */
  const created = (
    request: FastifyRequest,
    reply: FastifyReply,
    location: string,
    body: Record<string, string>,
    command: () => Promise<unknown>,
  ) =>
    answerCommand(request, reply, command, {
      answer: (decision) => createdAnswer(location, body, decision.nextExpectedVersion),
      settle,
    });
  const isAuditor = (request: FastifyRequest): boolean => hasRole(actorOf(request), 'auditor');
  // Referrals are case work: officers (and auditors, for single reads), not administrators or coaches.
  const requireOfficer = (request: FastifyRequest): void => {
    if (!hasRole(actorOf(request), 'referral_officer'))
      throw new AppError('FORBIDDEN', 'referrals are read by referral officers (and auditors)');
  };
  const requireClientAccess = async (
    request: FastifyRequest,
    clientId: string,
    resource: 'client' | 'need-suggestions' = 'client',
  ) => {
    if (isAuditor(request)) {
      if ((await clientStatus(db, clientId)) === 'unknown') throw hidden('client');
      // Recorded only once it is sure to be answered (the route calls it last): a refused read is not a read.
      const recordRead = () =>
        recordAuditorRead(store, actorOf(request), { resource, resourceId: clientId }, request.correlationId);
      return { allowed: true, basis: 'auditor' as const, share: ['*'], recordRead };
    }
    const access = await clientAccessFor(db, actorOf(request), clientId, app.now());
    if (access.erasedAt) throw erasedClient(clientId, access.erasedAt);
    if (!access.allowed) throw hidden('client');
    return { ...access, recordRead: async () => undefined };
  };
  const requireReferralAccess = async (
    request: FastifyRequest,
    referralId: string,
    resource: 'referral' | 'referral-messages' | 'referral-history',
  ) => {
    if (!isAuditor(request)) requireOfficer(request);
    if (isAuditor(request)) {
      if (!(await referralById(db, referralId))) throw hidden('referral');
      await recordAuditorRead(store, actorOf(request), { resource, resourceId: referralId }, request.correlationId);
      return;
    }
    if (!(await maySeeReferral(db, actorOf(request).organisationId, referralId))) throw hidden('referral');
  };

  // ---- clients -------------------------------------------------------------------------------
  http.post(
    '/clients',
    { schema: body('RegisterClientRequest'), config: { idempotent: true } },
    async (request: Req<object>, reply) => {
      const body = request.body as { personal: never; confirmedNew?: boolean };
      const clientId = randomUUID();
      return created(request, reply, `/v1/clients/${clientId}`, { clientId }, () =>
        app.registerClient(ctxOf(request), {
          clientId,
          personal: body.personal,
          ...(body.confirmedNew === undefined ? {} : { confirmedNew: body.confirmedNew }),
        }),
      );
    },
  );

  await accessRoutes(http, { app, store, db, keyStore, blindIndex, ctxOf, created, done });

  http.get('/clients/:id', { schema: params('id') }, async (request: Req) => {
    const clientId = request.params.id;
    const access = await requireClientAccess(request, clientId);
    const profile = await loadClientProfile(store, keyStore, clientId);
    if (!profile) throw hidden('client');
    await access.recordRead();
    const overview = await clientOverview(db, clientId);
    // A receiving organisation sees its own referrals of this client, not the whole case history.
    const own = actorOf(request).organisationId;
    const full = access.basis === 'registered' || access.basis === 'auditor';
    // A job coach works the client's job search: the consented profile and its outcomes, not the case.
    const coach = access.basis === 'job_matching';
    const referrals = full
      ? overview.referrals
      : coach
        ? []
        : overview.referrals.filter((r) => r.senderOrganisationId === own || r.receiverOrganisationId === own);
    return {
      clientId,
      access: access.basis,
      personal: profileWithinScope(profile, access.share),
      needs: full || (!coach && access.share.includes('needs')) ? overview.needs : [],
      consents: full ? overview.consents : coach ? overview.consents.filter((c) => c.purpose === 'job_matching') : [],
      referrals,
      // Employment outcomes are case history: a receiver sees them only if the consent shares that.
      placements: full || coach || access.share.includes('case_history') ? overview.placements : [],
    };
  });

  http.post(
    '/clients/:id/personal-data',
    { schema: { ...body('PersonalDataCorrection'), ...params('id') } },
    async (request: Req, reply) =>
      done(
        reply,
        await app.clientCommand(ctxOf(request), {
          type: 'CorrectPersonalData',
          clientId: request.params.id,
          personal: request.body as never,
        }),
      ),
  );

  http.post(
    '/clients/:id/legal-status',
    { schema: { ...body('LegalStatus'), ...params('id') } },
    async (request: Req, reply) =>
      done(
        reply,
        await app.clientCommand(ctxOf(request), {
          type: 'ChangeLegalStatus',
          clientId: request.params.id,
          personal: { legalStatus: request.body as never },
        }),
      ),
  );

  http.post(
    '/clients/:id/consents',
    { schema: { ...body('GiveConsentRequest'), ...params('id') }, config: { idempotent: true } },
    async (request: Req, reply) => {
      const consentId = randomUUID();
      const b = request.body as unknown as ConsentBody;
      return created(request, reply, `/v1/clients/${request.params.id}/consents/${consentId}`, { consentId }, () =>
        app.clientCommand(ctxOf(request), {
          type: 'GiveConsent',
          clientId: request.params.id,
          consentId,
          purpose: b.purpose,
          recipient: b.recipient ?? {},
          scope: b.scope,
          method: b.method,
          expiresAt: b.expiresAt ?? null,
        }),
      );
    },
  );

  http.post(
    '/clients/:id/consents/:consentId/withdraw',
    { schema: { ...body('WithdrawConsentRequest'), ...params('id', 'consentId') }, preValidation: optionalBody },
    async (request: Req<{ id: string; consentId: string }>, reply) =>
      done(
        reply,
        await app.withdrawConsent(ctxOf(request), {
          clientId: request.params.id,
          consentId: request.params.consentId,
          ...(request.body.reason === undefined ? {} : { reason: request.body.reason as never }),
        }),
      ),
  );

  // GDPR art. 17, by the holder's data protection officer, with a reason. 204 even when already erased (idempotent).
  http.delete(
    '/clients/:id',
    { schema: { ...body('EraseClientRequest'), ...params('id') }, preValidation: optionalBody },
    async (request: Req, reply) =>
      done(
        reply,
        await app.eraseClient(ctxOf(request), {
          clientId: request.params.id,
          ...(request.body.reason === undefined ? {} : { reason: request.body.reason as { code: string } }),
        }),
      ),
  );

  http.post(
    '/clients/:id/needs',
    { schema: { ...body('AssessNeedRequest'), ...params('id') }, config: { idempotent: true } },
    async (request: Req, reply) => {
      const needId = randomUUID();
      const b = request.body as unknown as NeedBody;
      return created(request, reply, `/v1/clients/${request.params.id}/needs/${needId}`, { needId }, () =>
        app.needsCommand(ctxOf(request), {
          type: 'AssessNeed',
          clientId: request.params.id,
          needId,
          assessmentId: randomUUID(),
          category: b.category,
          priority: b.priority,
          ...(b.notes === undefined ? {} : { notes: b.notes }),
        }),
      );
    },
  );

  http.post(
    '/clients/:id/needs/:needId/reassess',
    { schema: { ...body('ReassessNeedRequest'), ...params('id', 'needId') } },
    async (request: Req<{ id: string; needId: string }>, reply) => {
      const b = request.body as unknown as ReassessBody;
      return done(
        reply,
        await app.needsCommand(ctxOf(request), {
          type: 'ReassessNeed',
          clientId: request.params.id,
          needId: request.params.needId,
          assessmentId: b.assessmentId ?? randomUUID(),
          priority: b.priority,
          ...(b.notes === undefined ? {} : { notes: b.notes }),
        }),
      );
    },
  );

  http.post(
    '/clients/:id/needs/:needId/close',
    { schema: { ...body('CloseNeedRequest'), ...params('id', 'needId') } },
    async (request: Req<{ id: string; needId: string }>, reply) =>
      done(
        reply,
        await app.needsCommand(ctxOf(request), {
          type: 'CloseNeed',
          clientId: request.params.id,
          needId: request.params.needId,
          reason: request.body.reason as never,
        }),
      ),
  );

  http.get(
    '/clients/:id/needs/:needId/suggestions',
    { schema: params('id', 'needId') },
    async (request: Req<{ id: string; needId: string }>) => {
      const { id: clientId, needId } = request.params;
      const access = await requireClientAccess(request, clientId, 'need-suggestions');
      // The client's needs are not part of what a job-matching consent shares.
      if (access.basis === 'job_matching') throw hidden('need');
      const need = await needOf(db, clientId, needId);
      if (!need) throw hidden('need');
      if (need.status !== 'open')
        throw new AppError('ILLEGAL_TRANSITION', `need ${needId} is ${need.status}: suggestions are for open needs`);
      const profile = await loadClientProfile(store, keyStore, clientId);
      if (!profile || profile.erased) throw hidden('client');
      // Opened in memory for the filter only; the answer names services, never the client's data.
      const seen = profileWithinScope(profile, access.share);
      const items = await suggestServices(db, {
        category: need.category,
        legalStatus: seen.legalStatus?.status,
        languages: (seen.languages ?? []).map((l) => l.language),
        location: seen.location,
        excludeOrganisationId: actorOf(request).organisationId,
        now: app.now(),
      });
      await access.recordRead();
      return { needId, items };
    },
  );

  // ---- referrals -----------------------------------------------------------------------------
  http.post(
    '/referrals',
    { schema: body('SendReferralRequest'), config: { idempotent: true } },
    async (request: Req<object>, reply) => {
      const b = request.body as unknown as SendBody;
      const referralId = randomUUID();
      return created(request, reply, `/v1/referrals/${referralId}`, { referralId }, () =>
        app.sendReferral(ctxOf(request), {
          referralId,
          clientId: b.clientId,
          serviceId: b.serviceId,
          share: b.share,
          ...(b.needId === undefined ? {} : { needId: b.needId }),
          ...(b.message === undefined ? {} : { message: b.message }),
          ...(b.consentOverride === undefined ? {} : { consentOverride: b.consentOverride }),
        }),
      );
    },
  );

  http.get(
    '/referrals',
    { schema: { querystring: contractSchema('ReferralListQuery') } },
    async (
      request: FastifyRequest<{
        Querystring: {
          box?: 'inbox' | 'outbox';
          status?: ReferralStatus;
          overdue?: 'true' | 'false';
          limit?: number;
          cursor?: string;
        };
      }>,
    ) => {
      requireOfficer(request);
      const organisationId = actorOf(request).organisationId;
      const { box = 'inbox', status, overdue, limit } = request.query;
      if (overdue === 'true') {
        // Unanswered past the response time, on either side (the expiry scheduler closes them).
        const side = box === 'inbox' ? 'receiver' : 'sender';
        const after = decodeCursor('overdue', request.query.cursor);
        const page = await overduePage(db, app.now(), organisationId, side, {
          ...(limit === undefined ? {} : { limit }),
          ...(after === undefined ? {} : { after }),
        });
        return { items: page.items, nextCursor: encodeCursor('overdue', page.next) };
      }
      const after = decodeCursor('box', request.query.cursor);
      const page = await (box === 'inbox' ? inbox : outbox)(db, organisationId, {
        ...(status === undefined ? {} : { status }),
        ...(limit === undefined ? {} : { limit }),
        ...(after === undefined ? {} : { after }),
      });
      return { items: page.items, nextCursor: encodeCursor('box', page.next) };
    },
  );

  http.get('/referrals/counts', async (request) => countsByStatus(db, actorOf(request).organisationId, app.now()));

  http.get('/referrals/:id', { schema: params('id') }, async (request: Req, reply) => {
    await requireReferralAccess(request, request.params.id, 'referral');
    const row = await referralById(db, request.params.id);
    if (!row) throw hidden('referral');
    setEtag(reply, await store.streamVersion(referralStreamId(request.params.id)));
    return row;
  });

  const transitions = {
    accept: 'AcceptReferral',
    reject: 'RejectReferral',
    start: 'StartReferral',
    hold: 'PutReferralOnHold',
    resume: 'ResumeReferral',
    complete: 'CompleteReferral',
    fail: 'FailReferral',
    cancel: 'CancelReferral',
  } as const;
  for (const [action, type] of Object.entries(transitions))
    http.post(
      `/referrals/:id/${action}`,
      // With an Idempotency-Key the 204 commits with the event: a retry after a lost answer gets it
      // again instead of a conflict with the state its own first attempt produced.
      {
        schema: { ...body('TransitionRequest'), ...params('id') },
        preValidation: optionalBody,
        config: { idempotent: true },
      },
      async (request: Req, reply) => {
        const b = (request.body ?? {}) as { reason?: Reason; outcome?: string; note?: string };
        return answerCommand(
          request,
          reply,
          () =>
            app.referralCommand(ctxOf(request), {
              type,
              referralId: request.params.id,
              ...(b.reason === undefined ? {} : { reason: b.reason }),
              ...(b.outcome === undefined ? {} : { outcome: b.outcome }),
              ...(b.note === undefined ? {} : { note: b.note }),
            } as never),
          { answer: (decision) => noContentAnswer(decision.nextExpectedVersion), settle },
        );
      },
    );

  http.post(
    '/referrals/:id/forward',
    { schema: { ...body('ForwardReferralRequest'), ...params('id') }, config: { idempotent: true } },
    async (request: Req, reply) => {
      const b = request.body as unknown as ForwardBody;
      const newReferralId = randomUUID();
      return created(request, reply, `/v1/referrals/${newReferralId}`, { referralId: newReferralId }, () =>
        app.forwardReferral(ctxOf(request), {
          referralId: request.params.id,
          newReferralId,
          serviceId: b.serviceId,
          share: b.share,
          reason: b.reason,
          ...(b.message === undefined ? {} : { message: b.message }),
        }),
      );
    },
  );

  http.post(
    '/referrals/:id/messages',
    { schema: { ...body('PostMessageRequest'), ...params('id') }, config: { idempotent: true } },
    async (request: Req, reply) => {
      const messageId = randomUUID();
      return created(request, reply, `/v1/referrals/${request.params.id}/messages`, { messageId }, () =>
        app.referralCommand(ctxOf(request), {
          type: 'PostReferralMessage',
          referralId: request.params.id,
          messageId,
          personal: { text: request.body.text as string },
        }),
      );
    },
  );

  http.get<{ Params: { id: string } }>('/referrals/:id/history', { schema: params('id') }, async (request) => {
    await requireReferralAccess(request, request.params.id, 'referral-history');
    const history = await loadReferralHistory(store, keyStore, request.params.id);
    if (!history) throw hidden('referral');
    return history;
  });

  http.get('/referrals/:id/messages', { schema: params('id') }, async (request: Req) => {
    await requireReferralAccess(request, request.params.id, 'referral-messages');
    return { items: await referralMessages(db, keyStore, request.params.id) };
  });

  // ---- oversight -----------------------------------------------------------------------------
  http.get<{ Querystring: { from?: string; to?: string } }>(
    '/reports/consent-overrides',
    {
      schema: { querystring: contractSchema('ReportQuery') },
      preHandler: requireAuth({ roles: ['auditor', 'network_admin'] }),
    },
    async (request) => {
      if (isAuditor(request))
        await recordAuditorRead(
          store,
          actorOf(request),
          {
            resource: 'consent-override-report',
            resourceId: `${request.query.from ?? '-'}..${request.query.to ?? '-'}`,
          },
          request.correlationId,
        );
      const range = {
        ...(request.query.from === undefined ? {} : { from: new Date(request.query.from).toISOString() }),
        ...(request.query.to === undefined ? {} : { to: new Date(request.query.to).toISOString() }),
      };
      // Who overrode, for which organisation and why: from each referral's first event; the note is
      // personal data, for auditors only.
      const items = [];
      for (const row of await consentOverrides(db, range)) {
        const [first] = await store.readStream(referralStreamId(row.referralId), { maxCount: 1 });
        const requested = first?.type === 'ReferralRequested' ? (first.data as RequestedData) : null;
        const basis = requested?.consentBasis.kind === 'override' ? requested.consentBasis : null;
        let note: string | undefined;
        if (isAuditor(request) && first) {
          const opened = await openPersonalPart<{ overrideNote?: string }>(keyStore, first).catch(() => undefined);
          if (opened && !isErased(opened) && typeof opened.overrideNote === 'string') note = opened.overrideNote;
        }
        items.push({
          ...row,
          ...(requested ? { clientId: requested.clientId } : {}),
          overriddenBy: basis?.overriddenBy ?? null,
          ...(note === undefined ? {} : { note }),
        });
      }
      return { items };
    },
  );
};
