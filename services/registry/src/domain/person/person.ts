import type { Decider, DomainEvent } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import {
  hasRole,
  hasRoleIn,
  isNetworkRole,
  isOrganisationRole,
  PERMISSIONS,
  type Actor,
  type Permission,
  type Role,
} from '../shared/actor.js';
import { addMinutes, isAfter, isEmail, Validation } from '../shared/validation.js';

export const INVITATION_VALID_DAYS = 7;

// ---- events -------------------------------------------------------------------------------------

export type PersonInvited = DomainEvent<
  'PersonInvited',
  {
    personId: string;
    organisationId: string | null;
    email: string;
    displayName: string;
    roles: Role[];
    permissions: Permission[];
    /** sha256 of the one-time invitation token; the token itself travels only in the invitation e-mail. */
    invitationTokenHash: string;
    invitationExpiresAt: string;
    invitedAt: string;
    invitedBy: string;
  }
>;
export type InvitationAccepted = DomainEvent<
  'InvitationAccepted',
  { personId: string; passwordHash: string; acceptedAt: string }
>;
export type PersonRolesChanged = DomainEvent<
  'PersonRolesChanged',
  { personId: string; roles: Role[]; permissions: Permission[]; changedAt: string; changedBy: string }
>;
export type PersonDeactivated = DomainEvent<
  'PersonDeactivated',
  { personId: string; reason: string | null; deactivatedAt: string; deactivatedBy: string }
>;
// Sign-in outcomes of an earlier lock-out scheme: still in older streams, no longer written nor acted on
// (a lock-out let anyone lock anyone out; sign-in is throttled per account and address instead).
export type SignInFailed = DomainEvent<
  'SignInFailed',
  { personId: string; failedAt: string; consecutiveFailures: number }
>;
export type PersonLockedOut = DomainEvent<
  'PersonLockedOut',
  { personId: string; lockedAt: string; lockedUntil: string }
>;
export type SignInSucceeded = DomainEvent<'SignInSucceeded', { personId: string; signedInAt: string }>;

export type PersonEvent =
  | PersonInvited
  | InvitationAccepted
  | PersonRolesChanged
  | PersonDeactivated
  | SignInFailed
  | PersonLockedOut
  | SignInSucceeded;

// ---- commands -----------------------------------------------------------------------------------

interface Base {
  personId: string;
  now: string;
}
export type InvitePerson = Base & {
  type: 'InvitePerson';
  actor: Actor;
  organisationId: string | null;
  email: string;
  displayName: string;
  roles: readonly Role[];
  permissions?: readonly Permission[];
  invitationTokenHash: string;
};
/** The handler hashes the presented token and the new password (auth/password.ts) before deciding. */
export type AcceptInvitation = Base & { type: 'AcceptInvitation'; invitationTokenHash: string; passwordHash: string };
export type ChangePersonRoles = Base & {
  type: 'ChangePersonRoles';
  actor: Actor;
  roles: readonly Role[];
  permissions?: readonly Permission[];
};
export type DeactivatePerson = Base & { type: 'DeactivatePerson'; actor: Actor; reason?: string };
export type PersonCommand = InvitePerson | AcceptInvitation | ChangePersonRoles | DeactivatePerson;

// ---- state --------------------------------------------------------------------------------------

export interface PersonState {
  status: 'none' | 'invited' | 'active' | 'deactivated';
  organisationId: string | null;
  email: string | null;
  roles: Role[];
  permissions: Permission[];
  invitationTokenHash: string | null;
  invitationExpiresAt: string | null;
  passwordHash: string | null;
}

export const initialPersonState = (): PersonState => ({
  status: 'none',
  organisationId: null,
  email: null,
  roles: [],
  permissions: [],
  invitationTokenHash: null,
  invitationExpiresAt: null,
  passwordHash: null,
});

export const evolvePerson = (state: PersonState, event: PersonEvent): PersonState => {
  switch (event.type) {
    case 'PersonInvited':
      return {
        ...state,
        status: 'invited',
        organisationId: event.data.organisationId,
        email: event.data.email,
        roles: event.data.roles,
        permissions: event.data.permissions,
        invitationTokenHash: event.data.invitationTokenHash,
        invitationExpiresAt: event.data.invitationExpiresAt,
      };
    case 'InvitationAccepted':
      return { ...state, status: 'active', passwordHash: event.data.passwordHash, invitationTokenHash: null };
    case 'PersonRolesChanged':
      return { ...state, roles: event.data.roles, permissions: event.data.permissions };
    case 'PersonDeactivated':
      return { ...state, status: 'deactivated', passwordHash: null };
    case 'SignInFailed':
    case 'PersonLockedOut':
    case 'SignInSucceeded':
      return state;
  }
};

// ---- decide -------------------------------------------------------------------------------------

const refuse = (state: PersonState, action: string): never => {
  throw new AppError(
    'ILLEGAL_TRANSITION',
    `cannot ${action} a person who is ${state.status === 'none' ? 'not invited' : state.status}`,
    {
      extensions: { currentState: state.status },
    },
  );
};

const validateRoles = (
  v: Validation,
  organisationId: string | null,
  roles: readonly Role[],
  permissions: readonly Permission[],
): void => {
  if (!Array.isArray(roles) || roles.length === 0) {
    v.fail('/roles', 'must list at least one role');
    return;
  }
  roles.forEach((role, i) => {
    if (isOrganisationRole(role))
      v.check(organisationId !== null, `/roles/${i}`, 'an organisation role needs an organisation');
    else v.check(isNetworkRole(role), `/roles/${i}`, 'is not a known role');
  });
  permissions.forEach((permission, i) =>
    v.check((PERMISSIONS as readonly string[]).includes(permission), `/permissions/${i}`, 'is not a known permission'),
  );
};

/**
 * Org admins manage people of their own organisation; only network admins grant network roles (and
 * may invite the first org admin of a newly approved organisation).
 */
const requireMayManage = (
  actor: Actor,
  organisationId: string | null,
  roles: readonly Role[],
  action: string,
): void => {
  if (hasRole(actor, 'network_admin')) return;
  if (roles.some(isNetworkRole))
    throw new AppError('FORBIDDEN', `only a network administrator may ${action} with a network role`);
  if (organisationId === null || !hasRoleIn(actor, organisationId, 'org_admin'))
    throw new AppError('FORBIDDEN', `only an org_admin of organisation ${organisationId ?? '(none)'} may ${action}`);
};

export const decidePerson = (command: PersonCommand, state: PersonState): PersonEvent[] => {
  const { personId, now } = command;
  switch (command.type) {
    case 'InvitePerson': {
      const permissions = command.permissions ?? [];
      requireMayManage(command.actor, command.organisationId, command.roles, 'invite a person');
      if (state.status !== 'none') refuse(state, 'invite');
      const v = new Validation();
      v.check(isEmail(command.email?.trim()), '/email', 'must be an e-mail address');
      v.text(command.displayName, '/displayName', { max: 200 });
      validateRoles(v, command.organisationId, command.roles, permissions);
      v.check(
        /^[0-9a-f]{64}$/.test(command.invitationTokenHash ?? ''),
        '/invitationTokenHash',
        'must be a sha256 hex digest',
      );
      v.throwIfInvalid('invitation');
      return [
        {
          type: 'PersonInvited',
          data: {
            personId,
            organisationId: command.organisationId,
            email: command.email.trim().toLowerCase(),
            displayName: command.displayName.trim(),
            roles: [...command.roles],
            permissions: [...permissions],
            invitationTokenHash: command.invitationTokenHash,
            invitationExpiresAt: addMinutes(now, INVITATION_VALID_DAYS * 24 * 60),
            invitedAt: now,
            invitedBy: command.actor.principalId,
          },
        },
      ];
    }
    case 'AcceptInvitation': {
      if (state.status !== 'invited') refuse(state, 'accept the invitation of');
      // Same answer for a wrong and an expired token: the caller learns nothing about which it was.
      if (state.invitationTokenHash !== command.invitationTokenHash || !isAfter(state.invitationExpiresAt ?? now, now))
        throw new AppError('FORBIDDEN', 'the invitation token is not valid or has expired');
      if (!command.passwordHash || command.passwordHash.length < 32)
        throw new AppError('VALIDATION_FAILED', 'a password hash is required', {
          errors: [{ pointer: '/body/password', detail: 'is required' }],
        });
      return [{ type: 'InvitationAccepted', data: { personId, passwordHash: command.passwordHash, acceptedAt: now } }];
    }
    case 'ChangePersonRoles': {
      const permissions = command.permissions ?? [];
      if (state.status === 'none' || state.status === 'deactivated') refuse(state, 'change the roles of');
      requireMayManage(command.actor, state.organisationId, [...state.roles, ...command.roles], 'change roles');
      const v = new Validation();
      validateRoles(v, state.organisationId, command.roles, permissions);
      v.throwIfInvalid('roles');
      // An admin removing their own admin role could leave the organisation with nobody to manage it.
      if (
        command.actor.principalId === personId &&
        state.roles.includes('org_admin') &&
        !command.roles.includes('org_admin')
      )
        throw new AppError('BUSINESS_RULE_VIOLATED', 'an org admin cannot remove their own org_admin role');
      const same =
        [...command.roles].sort().join() === [...state.roles].sort().join() &&
        [...permissions].sort().join() === [...state.permissions].sort().join();
      if (same) return [];
      return [
        {
          type: 'PersonRolesChanged',
          data: {
            personId,
            roles: [...command.roles],
            permissions: [...permissions],
            changedAt: now,
            changedBy: command.actor.principalId,
          },
        },
      ];
    }
    case 'DeactivatePerson': {
      if (state.status === 'none' || state.status === 'deactivated') refuse(state, 'deactivate');
      requireMayManage(command.actor, state.organisationId, state.roles, 'deactivate a person');
      if (command.actor.principalId === personId)
        throw new AppError('BUSINESS_RULE_VIOLATED', 'a person cannot deactivate themselves; ask another admin');
      const reason = command.reason?.trim() ? command.reason.trim() : null;
      return [
        {
          type: 'PersonDeactivated',
          data: { personId, reason, deactivatedAt: now, deactivatedBy: command.actor.principalId },
        },
      ];
    }
  }
};

export const personDecider: Decider<PersonState, PersonCommand, PersonEvent> = {
  initialState: initialPersonState,
  decide: decidePerson,
  evolve: evolvePerson,
};

export const personStreamId = (personId: string): string => `registry-person-${personId}`;
