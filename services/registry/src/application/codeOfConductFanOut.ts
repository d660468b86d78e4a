import type { Projection } from '@estia/infra/projections/projection.js';
import type { CodeOfConductPublished } from '../domain/codeOfConduct/codeOfConduct.js';
import type { RegistryContext } from './context.js';
import { organisationHandlers } from './organisationHandlers.js';

export const CODE_OF_CONDUCT_FAN_OUT = 'registry.code-of-conduct-fan-out';

/**
 * Tells every member of each newly published code-of-conduct version (a membership-changed event per
 * organisation), driven by CodeOfConductPublished in the registry's own log and checkpointed like a
 * projection, so it runs under the processor runtime, on one replica, and resumes after a crash
 * (organisations already told are passed over). It keeps no tables of its own: its effect is events.
 */
export const codeOfConductFanOut = (ctx: RegistryContext): Projection => {
  const organisations = organisationHandlers(ctx);
  return {
    name: CODE_OF_CONDUCT_FAN_OUT,
    types: ['CodeOfConductPublished'],
    migrate: async () => undefined,
    reset: async () => undefined,
    async handle(_tx, events) {
      for (const event of events) {
        const { version, publishedBy } = (event as unknown as CodeOfConductPublished).data;
        await organisations.announceCodeChange(
          { principalId: publishedBy, roles: ['network_admin'] },
          version,
          event.metadata.correlationId,
        );
      }
    },
  };
};
