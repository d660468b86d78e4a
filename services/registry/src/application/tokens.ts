import { randomUUID } from 'node:crypto';
import { audienceOf } from '@estia/infra/auth/tokenVerifier.js';
import type { ApiScope } from '../domain/apiClient/apiClient.js';
import type { Actor } from '../domain/shared/actor.js';
import { scopesForRoles } from '@estia/infra/auth/scopes.js';
import type { KeyRing } from '../auth/signingKeys.js';
import { issueToken } from '../auth/token.js';

export interface TokenSettings {
  issuer: string;
  /** Every audience a person's token is for; partner systems' tokens leave out the console's. */
  audiences: readonly string[];
  keyRing: () => KeyRing;
}

/** Access token for a signed-in person (scopes from roles); `authTime` carries a refreshed sign-in's moment. */
export const tokenForPerson = (settings: TokenSettings, actor: Actor, authTime?: number) =>
  issueToken(
    settings.keyRing(),
    {
      kind: 'person',
      id: actor.principalId,
      organisationId: actor.organisationId ?? null,
      roles: actor.roles,
      permissions: actor.permissions ?? [],
      scopes: scopesForRoles(actor.roles),
    },
    {
      issuer: settings.issuer,
      audience: [...settings.audiences],
      now: Math.floor(Date.now() / 1000),
      jti: randomUUID(),
      ...(authTime === undefined ? {} : { authTime }),
    },
  );

/** Access token for a partner system (scopes as granted to the client, no roles). */
export const tokenForClient = (
  settings: TokenSettings,
  clientId: string,
  client: { organisationId: string; scopes: readonly ApiScope[] },
) =>
  issueToken(
    settings.keyRing(),
    {
      kind: 'client',
      id: clientId,
      organisationId: client.organisationId,
      roles: [],
      permissions: [],
      scopes: client.scopes,
    },
    {
      issuer: settings.issuer,
      audience: settings.audiences.filter((audience) => audience !== audienceOf('console')),
      now: Math.floor(Date.now() / 1000),
      jti: randomUUID(),
    },
  );
