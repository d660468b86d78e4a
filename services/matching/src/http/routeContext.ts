import type { Projector } from '@estia/infra/projections/projector.js';
import type { MatchingCommands } from '../application/matchingCommands.js';
import type { MatchingQueries } from '../application/queries.js';
import type { EscoAutocomplete } from '../esco/autocomplete.js';
import type { EscoCatalogue } from '../esco/catalogue.js';
import type { MatchEngine } from '../matching/matchEngine.js';

export interface RouteContext {
  commands: MatchingCommands;
  queries: MatchingQueries;
  engine: MatchEngine;
  esco: EscoCatalogue;
  autocomplete: EscoAutocomplete;
  projector: Pick<Projector, 'waitFor'>;
  pseudonym: (viewerOrganisationId: string, clientId: string) => string;
  clock: () => Date;
}

/** Read-your-writes: answer a command only once the read models (and the engine) include it. */
export const caughtUp = async (ctx: RouteContext, position: number | undefined): Promise<void> => {
  if (position !== undefined) await ctx.projector.waitFor(position);
};
