import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { components } from '@estia/contracts/generated/openapi.matching.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { answerCommand } from '@estia/infra/http/commandAnswer.js';
import { etagFor, expectedVersionFromIfMatch, requireIfMatch, setEtag } from '@estia/infra/http/etag.js';
import { eventMetadataFor } from '@estia/infra/http/requestContext.js';
import type { OpportunityAction } from '../application/matchingCommands.js';
import type { OpportunityView } from '../application/queries.js';
import type { OpportunityDetails } from '../domain/opportunities/opportunity.js';
import { isAuditor, opportunityReaders, opportunityWriters, readers, requireMember } from './access.js';
import { API_PREFIX, contractSchema, optionalBody, parametersSchema } from './contractSchemas.js';
import { opportunityOf } from './decisionViews.js';
import { caughtUp, type RouteContext } from './routeContext.js';

type Schemas = components['schemas'];
type Opportunity = Schemas['Opportunity'];
type IdRequest<B = unknown> = FastifyRequest<{ Params: { id: string }; Body: B }>;

export const toOpportunity = (o: OpportunityView): Opportunity => ({
  id: o.id,
  hired: o.hired,
  organisationId: o.organisationId,
  status: o.status,
  revision: o.revision,
  details: o.details as Opportunity['details'],
  publishedAt: o.publishedAt,
  updatedAt: o.updatedAt,
});

const principalOf = (request: FastifyRequest) => request.principal!;
const byOf = (request: FastifyRequest) => ({
  organisationId: principalOf(request).organisationId,
  userId: principalOf(request).subject,
});

export const opportunityRoutes: FastifyPluginAsync<{ ctx: RouteContext }> = async (app, { ctx }) => {
  const idParams = parametersSchema('/opportunities/{id}', 'get', 'path');

  /** A command's answer: the opportunity as its decision left it (201 with its Location for a new one). */
  const answered = (request: FastifyRequest, reply: FastifyReply, command: () => Promise<unknown>, code = 200) =>
    answerCommand(request, reply, command, {
      answer: (decision) => {
        const view = opportunityOf(decision);
        return {
          status: code,
          headers: {
            ...(code === 201 ? { location: `${API_PREFIX}/opportunities/${view.id}` } : {}),
            etag: etagFor(view.revision),
          },
          body: toOpportunity(view),
        };
      },
      settle: (position) => caughtUp(ctx, position),
    });

  const answer = async (reply: FastifyReply, id: string) => {
    const view = await ctx.queries.opportunity(id);
    if (!view) throw new AppError('NOT_FOUND', `opportunity ${id} does not exist`);
    setEtag(reply, view.revision);
    return reply.send(toOpportunity(view));
  };

  app.post<{ Body: Schemas['OpportunityDetails'] }>(
    '/opportunities',
    {
      config: { idempotent: true },
      preHandler: opportunityWriters,
      schema: { body: contractSchema('OpportunityDetails') },
    },
    async (request, reply) => {
      await requireMember(ctx.queries, principalOf(request), ctx.clock());
      return answered(
        request,
        reply,
        () =>
          ctx.commands.publishOpportunity(byOf(request), request.body as OpportunityDetails, eventMetadataFor(request)),
        201,
      );
    },
  );

  app.get<{ Querystring: { status?: Opportunity['status']; organisationId?: string; limit: number } }>(
    '/opportunities',
    { preHandler: opportunityReaders, schema: { querystring: parametersSchema('/opportunities', 'get', 'query') } },
    async (request): Promise<Schemas['OpportunityList']> => ({
      items: (await ctx.queries.opportunities(request.query)).map(toOpportunity),
    }),
  );

  app.get(
    '/opportunities/:id',
    { preHandler: opportunityReaders, schema: { params: idParams } },
    async (request: IdRequest, reply) => answer(reply, request.params.id),
  );

  app.patch(
    '/opportunities/:id',
    { preHandler: opportunityWriters, schema: { params: idParams, body: contractSchema('OpportunityPatch') } },
    async (request: IdRequest<Schemas['OpportunityPatch']>, reply) => {
      await requireMember(ctx.queries, principalOf(request), ctx.clock());
      return answered(request, reply, () =>
        ctx.commands.reviseOpportunity(
          request.params.id,
          byOf(request),
          request.body as Partial<OpportunityDetails>,
          eventMetadataFor(request),
          requireIfMatch(request),
        ),
      );
    },
  );

  const actions: [string, string, (body: Record<string, unknown>) => OpportunityAction][] = [
    [
      'pause',
      'PauseOpportunity',
      (b) => ({ type: 'PauseOpportunity', ...(b.reason ? { reason: String(b.reason) } : {}) }),
    ],
    ['resume', 'EmptyAction', () => ({ type: 'ResumeOpportunity' })],
    ['fill', 'EmptyAction', () => ({ type: 'MarkOpportunityFilled' })],
    ['close', 'CloseOpportunity', (b) => ({ type: 'CloseOpportunity', reason: String(b.reason) })],
  ];
  for (const [action, schemaName, toCommand] of actions)
    app.post(
      `/opportunities/:id/${action}`,
      {
        preHandler: opportunityWriters,
        ...(schemaName !== 'CloseOpportunity' ? { preValidation: optionalBody } : {}),
        schema: { params: idParams, body: contractSchema(schemaName) },
      },
      async (request: IdRequest<Record<string, unknown> | undefined>, reply) => {
        await requireMember(ctx.queries, principalOf(request), ctx.clock());
        return answered(request, reply, () =>
          ctx.commands.changeOpportunity(
            request.params.id,
            byOf(request),
            toCommand(request.body ?? {}),
            eventMetadataFor(request),
            // Closing is final: it must be decided on the version the caller saw.
            action === 'close' ? requireIfMatch(request) : expectedVersionFromIfMatch(request),
          ),
        );
      },
    );

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    '/opportunities/:id/matches',
    {
      preHandler: readers,
      schema: { params: idParams, querystring: parametersSchema('/opportunities/{id}/matches', 'get', 'query') },
    },
    async (request): Promise<Schemas['MatchList']> => {
      const principal = principalOf(request);
      const opportunity = await ctx.queries.opportunity(request.params.id);
      if (!opportunity) throw new AppError('NOT_FOUND', `opportunity ${request.params.id} does not exist`);
      const asOf = ctx.clock().toISOString();
      const agreed =
        opportunity.organisationId === principal.organisationId
          ? await ctx.queries.agreedClients(opportunity.id)
          : new Set<string>();
      const items = [];
      const found = ctx.engine.searchCandidates(opportunity.id, { asOf, limit: request.query.limit });
      for (const match of found.items) {
        const candidate = await ctx.queries.candidate(match.candidateId);
        const known =
          isAuditor(principal) ||
          agreed.has(match.candidateId) ||
          (candidate !== null &&
            (candidate.sharedByOrganisationId === principal.organisationId ||
              candidate.consentOrganisationId === principal.organisationId));
        items.push({
          ...match,
          candidateId: known ? match.candidateId : ctx.pseudonym(principal.organisationId, match.candidateId),
          pseudonymous: !known,
        });
      }
      const notices: Schemas['MatchReason'][] =
        opportunity.status === 'open'
          ? []
          : [
              {
                code: 'opportunity_not_open',
                effect: 'excludes',
                detail: `the opportunity is ${opportunity.status}: nobody is matched to it`,
                pointer: '/opportunity/status',
              },
            ];
      return { asOf, items, notices, excluded: found.excluded, scoreFloor: ctx.engine.tuning.scoreFloor };
    },
  );
};
