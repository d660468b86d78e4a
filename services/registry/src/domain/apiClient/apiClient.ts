import type { Decider, DomainEvent } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { Actor } from '../shared/actor.js';
import { requireOrganisationRole } from '../shared/authorise.js';
import { Validation } from '../shared/validation.js';

/**
 * Scopes an organisation may grant its partner systems (network, audit and erasure scopes go with people's
 * roles only; each is one of infra's SCOPES, checked by a unit test). OAuth2 client-credentials clients of partner systems. The secret is generated and hashed outside
 * (auth/clientSecret.ts) and shown once; the stream only ever holds its hash.
 */
export const API_SCOPES = [
  'directory:read',
  'org:admin',
  'capacity:write',
  'referrals:read',
  'referrals:write',
  'clients:read',
  'clients:write',
  'opportunities:read',
  'opportunities:write',
  'matching:read',
  'matching:write',
  'webhooks:manage',
] as const;
/**
 * Names granted before the scopes were split, read as today's: `registry:write` managed the own
 * organisation. Events keep what was written; the client's state speaks the current vocabulary.
 */
const LEGACY_SCOPES: Record<string, readonly ApiScope[]> = { 'registry:write': ['org:admin'] };
export const currentScopes = (scopes: readonly string[]): ApiScope[] => [
  ...new Set(
    scopes.flatMap((scope) =>
      (API_SCOPES as readonly string[]).includes(scope) ? [scope as ApiScope] : (LEGACY_SCOPES[scope] ?? []),
    ),
  ),
];
export type ApiScope = (typeof API_SCOPES)[number];

export type ApiClientCreated = DomainEvent<
  'ApiClientCreated',
  {
    clientId: string;
    organisationId: string;
    name: string;
    scopes: ApiScope[];
    secretHash: string;
    createdAt: string;
    createdBy: string;
  }
>;
export type ApiClientSecretRotated = DomainEvent<
  'ApiClientSecretRotated',
  { clientId: string; secretHash: string; rotatedAt: string; rotatedBy: string }
>;
export type ApiClientRevoked = DomainEvent<
  'ApiClientRevoked',
  { clientId: string; reason: string | null; revokedAt: string; revokedBy: string }
>;
export type ApiClientEvent = ApiClientCreated | ApiClientSecretRotated | ApiClientRevoked;

interface Base {
  clientId: string;
  now: string;
  actor: Actor;
}
export type CreateApiClient = Base & {
  type: 'CreateApiClient';
  organisationId: string;
  name: string;
  scopes: readonly ApiScope[];
  secretHash: string;
};
export type RotateApiClientSecret = Base & { type: 'RotateApiClientSecret'; secretHash: string };
export type RevokeApiClient = Base & { type: 'RevokeApiClient'; reason?: string };
export type ApiClientCommand = CreateApiClient | RotateApiClientSecret | RevokeApiClient;

export interface ApiClientState {
  status: 'none' | 'active' | 'revoked';
  organisationId: string | null;
  scopes: ApiScope[];
  secretHash: string | null;
}

const evolve = (state: ApiClientState, event: ApiClientEvent): ApiClientState => {
  switch (event.type) {
    case 'ApiClientCreated':
      return {
        status: 'active',
        organisationId: event.data.organisationId,
        scopes: currentScopes(event.data.scopes),
        secretHash: event.data.secretHash,
      };
    case 'ApiClientSecretRotated':
      return { ...state, secretHash: event.data.secretHash };
    case 'ApiClientRevoked':
      return { ...state, status: 'revoked', secretHash: null };
  }
};

const requireActive = (state: ApiClientState, action: string): string => {
  if (state.status !== 'active' || !state.organisationId)
    throw new AppError(
      'ILLEGAL_TRANSITION',
      `cannot ${action} an API client that is ${state.status === 'none' ? 'not created' : state.status}`,
      {
        extensions: { currentState: state.status },
      },
    );
  return state.organisationId;
};

const checkSecretHash = (v: Validation, secretHash: string): void => {
  v.check(typeof secretHash === 'string' && secretHash.length >= 32, '/secretHash', 'must be a hash of the secret');
};

const decide = (command: ApiClientCommand, state: ApiClientState): ApiClientEvent[] => {
  const { clientId, now, actor } = command;
  const by = actor.principalId;
  switch (command.type) {
    case 'CreateApiClient': {
      requireOrganisationRole(actor, command.organisationId, ['org_admin'], 'create an API client');
      if (state.status !== 'none')
        throw new AppError('ILLEGAL_TRANSITION', `API client ${clientId} already exists (${state.status})`, {
          extensions: { currentState: state.status },
        });
      const v = new Validation();
      v.text(command.name, '/name', { max: 200 });
      if (!Array.isArray(command.scopes) || command.scopes.length === 0)
        v.fail('/scopes', 'must list at least one scope');
      else
        command.scopes.forEach((scope, i) =>
          v.check(
            (API_SCOPES as readonly string[]).includes(scope),
            `/scopes/${i}`,
            `must be one of ${API_SCOPES.join(', ')}`,
          ),
        );
      checkSecretHash(v, command.secretHash);
      v.throwIfInvalid('API client');
      return [
        {
          type: 'ApiClientCreated',
          data: {
            clientId,
            organisationId: command.organisationId,
            name: command.name.trim(),
            scopes: [...new Set(command.scopes)],
            secretHash: command.secretHash,
            createdAt: now,
            createdBy: by,
          },
        },
      ];
    }
    case 'RotateApiClientSecret': {
      const organisationId = requireActive(state, 'rotate the secret of');
      requireOrganisationRole(actor, organisationId, ['org_admin'], 'rotate an API client secret');
      const v = new Validation();
      checkSecretHash(v, command.secretHash);
      v.throwIfInvalid('API client secret');
      return [
        {
          type: 'ApiClientSecretRotated',
          data: { clientId, secretHash: command.secretHash, rotatedAt: now, rotatedBy: by },
        },
      ];
    }
    case 'RevokeApiClient': {
      const organisationId = requireActive(state, 'revoke');
      // Network admins revoke too: a leaked secret must be stoppable even if the org is unreachable.
      requireOrganisationRole(actor, organisationId, ['org_admin'], 'revoke an API client', { networkAdminMay: true });
      const reason = command.reason?.trim() ? command.reason.trim() : null;
      return [{ type: 'ApiClientRevoked', data: { clientId, reason, revokedAt: now, revokedBy: by } }];
    }
  }
};

export const apiClientDecider: Decider<ApiClientState, ApiClientCommand, ApiClientEvent> = {
  initialState: () => ({ status: 'none', organisationId: null, scopes: [], secretHash: null }),
  decide,
  evolve,
};

export const apiClientStreamId = (clientId: string): string => `registry-apiclient-${clientId}`;
