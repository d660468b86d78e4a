import type { FastifyPluginAsync } from 'fastify';
import type { components } from '@estia/contracts/generated/openapi.matching.js';
import { OCCUPATION_URI_PREFIX, SKILL_URI_PREFIX } from '../esco/dataset.js';
import type { ConceptKind } from '../esco/autocomplete.js';
import { parametersSchema } from './contractSchemas.js';
import type { RouteContext } from './routeContext.js';

type SuggestionList = components['schemas']['EscoSuggestionList'];

/** ESCO autocomplete for the forms that publish opportunities and edit profiles (authenticated). */
export const escoRoutes: FastifyPluginAsync<{ ctx: RouteContext }> = async (app, { ctx }) => {
  const route = (path: string, kind: ConceptKind, prefix: string) =>
    app.get<{ Querystring: { q: string; limit: number } }>(
      path,
      { schema: { querystring: parametersSchema(path, 'get', 'query') } },
      async (request): Promise<SuggestionList> => ({
        escoVersion: ctx.esco.version,
        items: ctx.autocomplete.suggest(request.query.q, { kinds: [kind], limit: request.query.limit }).map((s) => ({
          id: s.id,
          uri: prefix + s.id,
          preferredLabel: s.preferredLabel,
          matchedLabel: s.matchedLabel,
          score: Math.round(s.score * 1000) / 1000,
          detail: s.detail,
        })),
      }),
    );
  route('/esco/occupations', 'occupation', OCCUPATION_URI_PREFIX);
  route('/esco/skills', 'skill', SKILL_URI_PREFIX);
};
