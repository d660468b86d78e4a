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

/** Longest a command's answer waits for the read models (and the engine) to include it. */
export const SETTLE_MS = 2_000;

/**
 * Read-your-writes for the caller's next GET, bounded: answers are built from the decision, so a
 * lagging read model delays an answer at most SETTLE_MS and never fails it.
 */
export const caughtUp = async (ctx: RouteContext, position: number | undefined): Promise<void> => {
  if (position !== undefined) await ctx.projector.waitFor(position, SETTLE_MS).catch(() => undefined);
};
