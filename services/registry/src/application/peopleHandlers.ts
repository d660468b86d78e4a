import { fold } from '@estia/infra/decider/types.js';
import { handleCommand } from '@estia/infra/commandHandling/handleCommand.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { personDecider, personStreamId, type PersonCommand, type PersonEvent } from '../domain/person/person.js';
import type { Actor, Permission, Role } from '../domain/shared/actor.js';
import { dummyPasswordHash, hashPassword, passwordProblem, verifyPassword } from '../auth/password.js';
import { hashInvitationToken, newInvitationToken } from '../auth/secrets.js';
import { findPersonIdByEmail } from '../projections/peopleProjection.js';
import { metadataFor, type RegistryContext } from './context.js';
import type { CommandOptions } from './organisationHandlers.js';

type WithoutBase<C> = C extends unknown ? Omit<C, 'personId' | 'now'> : never;

export interface InvitationInput {
  organisationId: string | null;
  email: string;
  displayName: string;
  roles: readonly Role[];
  permissions?: readonly Permission[];
}

export const peopleHandlers = (ctx: RegistryContext, readModel: SqlExecutor) => {
  const run = (
    personId: string,
    command: WithoutBase<PersonCommand>,
    metadataActor: Actor,
    options: CommandOptions = {},
  ) =>
    handleCommand({
      store: ctx.store,
      streamId: personStreamId(personId),
      decider: personDecider,
      command: { ...command, personId, now: ctx.now() } as PersonCommand,
      metadata: metadataFor(metadataActor, options.correlationId),
      ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
    });

  const loadPerson = async (personId: string) =>
    fold(
      personDecider,
      (await ctx.store.readStream(personStreamId(personId))).map(
        (e) => ({ type: e.type, data: e.data }) as PersonEvent,
      ),
    );

  return {
    loadPerson,
    /** Returns the one-time invitation token, to be sent to the person (never stored in clear). */
    async invite(
      actor: Actor,
      input: InvitationInput,
      options: CommandOptions & { personId?: string; token?: string } = {},
    ) {
      // Uniqueness by e-mail is checked against the read model: eventually consistent, good enough for invitations.
      if (await findPersonIdByEmail(readModel, input.email ?? ''))
        throw new AppError('CONFLICT', 'a person with this e-mail is already a member');
      const personId = options.personId ?? ctx.newId();
      const { token, tokenHash } = options.token
        ? { token: options.token, tokenHash: hashInvitationToken(options.token) }
        : newInvitationToken();
      await run(personId, { type: 'InvitePerson', actor, ...input, invitationTokenHash: tokenHash }, actor, {
        expectedVersion: 'no-stream',
        ...options,
      });
      return { personId, invitationToken: token };
    },
    async acceptInvitation(personId: string, token: string, password: string) {
      const problem = passwordProblem(password);
      if (problem)
        throw new AppError('VALIDATION_FAILED', `password ${problem}`, {
          errors: [{ pointer: '/body/password', detail: problem }],
        });
      const passwordHash = await hashPassword(password);
      await run(
        personId,
        { type: 'AcceptInvitation', invitationTokenHash: hashInvitationToken(token ?? ''), passwordHash },
        { principalId: personId, roles: [] },
      );
    },
    changeRoles: (
      actor: Actor,
      personId: string,
      roles: readonly Role[],
      permissions: readonly Permission[] = [],
      o?: CommandOptions,
    ) => run(personId, { type: 'ChangePersonRoles', actor, roles, permissions }, actor, o),
    deactivate: (actor: Actor, personId: string, reason?: string, o?: CommandOptions) =>
      run(personId, { type: 'DeactivatePerson', actor, ...(reason ? { reason } : {}) }, actor, o),

    /**
     * Who a still-valid token's person is now (for a refreshed token): their current roles and
     * organisation; a deactivated person gets no new token.
     */
    async refresh(personId: string): Promise<Actor> {
      const state = await loadPerson(personId);
      if (state.status !== 'active') throw new AppError('UNAUTHENTICATED', 'sign in again');
      return {
        principalId: personId,
        ...(state.organisationId ? { organisationId: state.organisationId } : {}),
        roles: state.roles,
        permissions: state.permissions,
      };
    },

    /**
     * Checks e-mail and password; returns the acting identity for token issuing. Unknown e-mail, wrong
     * password and inactive account all give the same UNAUTHENTICATED, in about the same time.
     */
    async signIn(email: string, password: string): Promise<Actor> {
      const personId = await findPersonIdByEmail(readModel, email ?? '');
      const state = personId ? await loadPerson(personId) : undefined;
      const hash = state?.status === 'active' ? state.passwordHash : null;
      // One scrypt check on every path (the dummy hash for unknown or inactive accounts): same work, same answer.
      const matched = await verifyPassword(password ?? '', hash ?? (await dummyPasswordHash()));
      if (!personId || !state || hash === null || !matched)
        throw new AppError('UNAUTHENTICATED', 'e-mail or password is not correct');
      return {
        principalId: personId,
        ...(state.organisationId ? { organisationId: state.organisationId } : {}),
        roles: state.roles,
        permissions: state.permissions,
      };
    },
  };
};
