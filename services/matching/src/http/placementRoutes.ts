import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { components } from '@estia/contracts/generated/openapi.matching.js';
import type { Principal } from '@estia/infra/auth/principal.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { Decision } from '@estia/infra/commandHandling/commandScope.js';
import { answerCommand } from '@estia/infra/http/commandAnswer.js';
import { etagFor, expectedVersionFromIfMatch, setEtag } from '@estia/infra/http/etag.js';
import { eventMetadataFor } from '@estia/infra/http/requestContext.js';
import type { PipelineStep } from '../application/matchingCommands.js';
import { STAGES, followUpSchedule, stageOf, statusesOf, type Stage } from '../application/pipelineView.js';
import { AGREED_STATUSES, type PlacementView } from '../application/queries.js';
import { dateOf } from '../domain/shared/dates.js';
import { holdsCandidate, isAuditor, readers, requireMember, worksCases, writers } from './access.js';
import { API_PREFIX, contractSchema, optionalBody, parametersSchema } from './contractSchemas.js';
import { applicationIdOf, placementOf } from './decisionViews.js';
import { caughtUp, type RouteContext } from './routeContext.js';

type Schemas = components['schemas'];
type IdRequest<B = unknown> = FastifyRequest<{ Params: { id: string }; Body: B }>;

type Party = 'coach' | 'either';
/** Which side acts on each step: the client's coach speaks for the client; the employer also reports outcomes. */
const STEPS: [string, string, Party, (body: Record<string, unknown>) => PipelineStep][] = [
  [
    'interest',
    'RecordInterest',
    'coach',
    (b) => ({ type: 'RecordClientInterest', ...(b as { interested: boolean; note?: string }) }),
  ],
  ['application', 'SendApplication', 'coach', (b) => ({ type: 'SendApplication', fields: b.fields as string[] })],
  ['interview', 'ScheduleInterview', 'either', (b) => ({ type: 'ScheduleInterview', at: String(b.at) })],
  ['offer', 'EmptyAction', 'either', () => ({ type: 'MakeOffer' })],
  ['hire', 'RecordHire', 'either', (b) => ({ type: 'RecordHired', startDate: String(b.startDate) })],
  [
    'not-hired',
    'RecordNotHired',
    'either',
    (b) => ({
      type: 'RecordNotHired',
      ...(b as Pick<Extract<PipelineStep, { type: 'RecordNotHired' }>, 'reason' | 'note'>),
    }),
  ],
  [
    'follow-ups',
    'RecordFollowUp',
    'either',
    (b) => ({ type: 'RecordFollowUp', ...(b as { month: 1 | 3 | 6; stillEmployed: boolean; reasonCode?: string }) }),
  ],
];

export const placementRoutes: FastifyPluginAsync<{ ctx: RouteContext }> = async (app, { ctx }) => {
  const params = parametersSchema('/placements/{id}', 'get', 'path');

  const present = (p: PlacementView, viewer: Principal): Schemas['Placement'] => {
    // The employer learns who the client is only once the client agreed to apply.
    const known =
      isAuditor(viewer) || viewer.organisationId === p.coachOrganisationId || AGREED_STATUSES.includes(p.status);
    return {
      id: p.id,
      clientId: known ? p.clientId : ctx.pseudonym(viewer.organisationId, p.clientId),
      opportunityId: p.opportunityId,
      status: p.status as Schemas['Placement']['status'],
      coachOrganisationId: p.coachOrganisationId,
      employerOrganisationId: p.employerOrganisationId,
      startDate: p.startDate,
      followUps: p.followUps,
      stage: stageOf(p.status),
      followUpSchedule: followUpSchedule(p, dateOf(ctx.clock().toISOString())),
      revision: p.revision,
      updatedAt: p.updatedAt,
    };
  };

  const visible = async (id: string, viewer: Principal): Promise<PlacementView> => {
    const p = await ctx.queries.placement(id);
    if (!p || !(isAuditor(viewer) || [p.coachOrganisationId, p.employerOrganisationId].includes(viewer.organisationId)))
      throw new AppError('NOT_FOUND', `placement ${id} does not exist`);
    return p;
  };

  /** A command's answer: the placement as its decision left it (201 with its Location for a new one). */
  const answered = (
    request: FastifyRequest,
    reply: FastifyReply,
    id: (decision: Decision) => string,
    command: () => Promise<unknown>,
    code = 200,
  ) =>
    answerCommand(request, reply, command, {
      answer: (decision) => {
        const p = placementOf(id(decision), decision);
        return {
          status: code,
          headers: {
            ...(code === 201 ? { location: `${API_PREFIX}/placements/${p.id}` } : {}),
            etag: etagFor(p.revision),
          },
          body: present(p, request.principal!),
        };
      },
      settle: (position) => caughtUp(ctx, position),
    });

  app.post<{ Body: Schemas['ProposePlacement'] }>(
    '/placements',
    { config: { idempotent: true }, preHandler: writers, schema: { body: contractSchema('ProposePlacement') } },
    async (request, reply) => {
      const principal = request.principal!;
      await requireMember(ctx.queries, principal, ctx.clock());
      const candidate = await ctx.queries.candidate(request.body.clientId);
      // Only the job coaches holding the case propose; to anyone else the candidate does not exist.
      if (!candidate || !worksCases(principal) || !holdsCandidate(principal, candidate))
        throw new AppError('NOT_FOUND', `no candidate profile ${request.body.clientId} visible to your organisation`);
      return answered(
        request,
        reply,
        (decision) => applicationIdOf(decision.streamId),
        () =>
          ctx.commands.propose(
            { organisationId: principal.organisationId, userId: principal.subject },
            request.body.clientId,
            request.body.opportunityId,
            eventMetadataFor(request),
          ),
        201,
      );
    },
  );

  app.get<{
    Querystring: {
      opportunityId?: string;
      clientId?: string;
      stage?: Stage;
      followUpDue?: boolean;
      limit: number;
    };
  }>(
    '/placements',
    { preHandler: readers, schema: { querystring: parametersSchema('/placements', 'get', 'query') } },
    async (request): Promise<Schemas['PlacementList']> => {
      const viewer = request.principal!;
      const q = request.query;
      const asOf = ctx.clock().toISOString();
      const rows = await ctx.queries.placements({
        organisationId: isAuditor(viewer) ? null : viewer.organisationId,
        ...(q.opportunityId ? { opportunityId: q.opportunityId } : {}),
        ...(q.clientId ? { clientId: q.clientId } : {}),
        ...(q.stage ? { statuses: statusesOf(q.stage) } : {}),
        limit: q.limit,
      });
      const items = rows
        .map((p) => present(p, viewer))
        .filter((p) => !q.followUpDue || p.followUpSchedule.some((f) => f.state === 'due'));
      const stages = Object.fromEntries(STAGES.map((st) => [st, 0])) as Schemas['PlacementList']['stages'];
      for (const p of items) stages[p.stage]++;
      return {
        asOf,
        items,
        stages,
        followUpsDue: items.reduce((n, p) => n + p.followUpSchedule.filter((f) => f.state === 'due').length, 0),
      };
    },
  );

  app.get('/placements/:id', { preHandler: readers, schema: { params } }, async (request: IdRequest, reply) => {
    const p = await visible(request.params.id, request.principal!);
    setEtag(reply, p.revision);
    return present(p, request.principal!);
  });

  for (const [path, schemaName, party, toStep] of STEPS)
    app.post(
      `/placements/:id/${path}`,
      {
        preHandler: writers,
        ...(schemaName === 'EmptyAction' ? { preValidation: optionalBody } : {}),
        schema: { params, body: contractSchema(schemaName) },
      },
      async (request: IdRequest<Record<string, unknown> | undefined>, reply) => {
        const principal = request.principal!;
        await requireMember(ctx.queries, principal, ctx.clock());
        const p = await visible(request.params.id, principal);
        // On the client's side only those who work the case act on it (not an organisation admin alone).
        const allowed =
          (principal.organisationId === p.coachOrganisationId && worksCases(principal)) ||
          (party === 'either' && principal.organisationId === p.employerOrganisationId);
        if (!allowed) throw new AppError('FORBIDDEN', `only the client's job coach may record this step (${path})`);
        return answered(
          request,
          reply,
          () => p.id,
          () =>
            ctx.commands.step(
              p.id,
              { organisationId: principal.organisationId, userId: principal.subject },
              toStep(request.body ?? {}),
              eventMetadataFor(request),
              expectedVersionFromIfMatch(request),
            ),
        );
      },
    );
};
