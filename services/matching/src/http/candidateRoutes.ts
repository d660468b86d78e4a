import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { components } from '@estia/contracts/generated/openapi.matching.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { assessPair, candidateNotices } from '../application/pairAssessment.js';
import type { CandidateView } from '../application/queries.js';
import { holdsCandidate, isAuditor, readers, worksCases } from './access.js';
import { parametersSchema } from './contractSchemas.js';
import type { RouteContext } from './routeContext.js';

type Schemas = components['schemas'];

/**
 * Candidate profiles (only what the client's job-matching consent shares) are seen by the job coaches
 * and officers of the organisation holding the client's case (it recorded the consent or shared the
 * profile) and by auditors; its administrators manage the organisation, not its cases. Anyone else
 * gets the same 404 as for a client who is not a candidate, so the answer does not reveal whether
 * someone is looking for work.
 */
export const candidateRoutes: FastifyPluginAsync<{ ctx: RouteContext }> = async (app, { ctx }) => {
  const params = parametersSchema('/candidates/{clientId}', 'get', 'path');

  const visibleCandidate = async (
    request: FastifyRequest<{ Params: { clientId: string } }>,
  ): Promise<CandidateView> => {
    const principal = request.principal!;
    const candidate = await ctx.queries.candidate(request.params.clientId);
    if (!candidate || !(isAuditor(principal) || (worksCases(principal) && holdsCandidate(principal, candidate))))
      throw new AppError('NOT_FOUND', `no candidate profile ${request.params.clientId} visible to your organisation`);
    return candidate;
  };

  // The organisation's own candidates, so a coach can reach one that matches nothing and read why.
  app.get<{ Querystring: { limit: number } }>(
    '/candidates',
    { preHandler: readers, schema: { querystring: parametersSchema('/candidates', 'get', 'query') } },
    async (request): Promise<Schemas['CandidateList']> => {
      const principal = request.principal!;
      if (!isAuditor(principal) && !worksCases(principal))
        throw new AppError('FORBIDDEN', 'candidates are listed to the job coaches and officers who hold their case');
      const asOf = ctx.clock().toISOString();
      const found = await ctx.queries.candidates({
        organisationId: isAuditor(principal) ? null : principal.organisationId,
        limit: request.query.limit,
      });
      return {
        asOf,
        items: found.map((c) => ({
          clientId: c.clientId,
          consentScope: c.consentScope,
          legalStatus: c.legalStatus?.status ?? null,
          updatedAt: c.updatedAt,
          notices: candidateNotices(c, asOf, ctx.engine),
        })),
      };
    },
  );

  app.get<{ Params: { clientId: string } }>(
    '/candidates/:clientId',
    { preHandler: readers, schema: { params } },
    async (request): Promise<Schemas['Candidate']> => {
      const c = await visibleCandidate(request);
      return {
        clientId: c.clientId,
        consentScope: c.consentScope,
        legalStatus: c.legalStatus as Record<string, never> | null,
        profile: c.profile as Record<string, never> | null,
        sharedByOrganisationId: c.sharedByOrganisationId,
        updatedAt: c.updatedAt,
      };
    },
  );

  app.get<{ Params: { clientId: string }; Querystring: { limit: number } }>(
    '/candidates/:clientId/matches',
    {
      preHandler: readers,
      schema: { params, querystring: parametersSchema('/candidates/{clientId}/matches', 'get', 'query') },
    },
    async (request): Promise<Schemas['MatchList']> => {
      const c = await visibleCandidate(request);
      const asOf = ctx.clock().toISOString();
      const found = ctx.engine.searchOpportunities(c.clientId, { asOf, limit: request.query.limit });
      return {
        asOf,
        items: found.items.map((m) => ({ ...m, pseudonymous: false })),
        notices: candidateNotices(c, asOf, ctx.engine),
        excluded: found.excluded,
        scoreFloor: ctx.engine.tuning.scoreFloor,
      };
    },
  );

  app.get<{ Params: { clientId: string; opportunityId: string } }>(
    '/candidates/:clientId/why-not/:opportunityId',
    {
      preHandler: readers,
      schema: { params: parametersSchema('/candidates/{clientId}/why-not/{opportunityId}', 'get', 'path') },
    },
    async (request): Promise<Schemas['WhyNot']> => {
      const c = await visibleCandidate(request);
      const opportunity = await ctx.queries.opportunity(request.params.opportunityId);
      if (!opportunity) throw new AppError('NOT_FOUND', `opportunity ${request.params.opportunityId} does not exist`);
      const asOf = ctx.clock().toISOString();
      const assessment = assessPair(c, opportunity, asOf, ctx.engine);
      return {
        clientId: c.clientId,
        opportunityId: opportunity.id,
        asOf,
        listed: assessment.listed,
        reasons: assessment.reasons,
        match: assessment.match && { ...assessment.match, pseudonymous: false },
      };
    },
  );
};
