import type { Actor } from '../domain/shared/actor.js';
import type { RegistryContext } from './context.js';
import { organisationHandlers } from './organisationHandlers.js';

/** Acts for the network itself at start-up; recorded as the actor of what it writes. */
export const SYSTEM_ACTOR: Actor = { principalId: 'system:bootstrap', roles: ['network_admin'] };

export const DEFAULT_CODE_OF_CONDUCT = {
  title: 'ESTIA network code of conduct',
  text: [
    'Members process the personal data of clients only for the purpose the client consented to, and share only what that purpose needs.',
    'Members answer referrals within the response time they declared, give a reason when they decline, and report the outcome.',
    'Members keep their directory entries, capacities and staff accounts current, and report any data breach to the network within 72 hours.',
  ].join('\n\n'),
};

/**
 * Without a published code nobody may exchange case data (and no membership event could say who may),
 * so a fresh network publishes version 1 at start. Network admins publish later versions via the API.
 */
export async function ensureCodeOfConduct(
  ctx: RegistryContext,
  code: { title: string; text: string } = DEFAULT_CODE_OF_CONDUCT,
): Promise<number> {
  return organisationHandlers(ctx).ensureCodeOfConduct(SYSTEM_ACTOR, code.title, code.text);
}
