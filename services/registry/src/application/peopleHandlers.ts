import { fold } from '@estia/infra/decider/types.js';
import { handleCommand } from '@estia/infra/commandHandling/handleCommand.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import {
  isLockedOut,
  personDecider,
  personStreamId,
  type PersonCommand,
  type PersonEvent,
} from '../domain/person/person.js';
import type { Actor, Permission, Role } from '../domain/shared/actor.js';
import { hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from '../auth/password.js';
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

/** Lock-out lives on the person stream (see person.ts): it survives restarts and holds across replicas. */
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
     * organisation; a deactivated or locked-out person gets no new token.
     */
    async refresh(personId: string): Promise<Actor> {
      const state = await loadPerson(personId);
      if (state.status !== 'active' || isLockedOut(state, ctx.now()))
        throw new AppError('UNAUTHENTICATED', 'sign in again');
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
      if (!personId) {
        await verifyAgainstDummy(password ?? '');
        throw new AppError('UNAUTHENTICATED', 'e-mail or password is not correct');
      }
      const state = await loadPerson(personId);
      if (isLockedOut(state, ctx.now()))
        throw new AppError('FORBIDDEN', 'too many failed sign-ins; try again later', {
          extensions: { lockedUntil: state.lockedUntil },
        });
      const matched =
        state.status === 'active' &&
        state.passwordHash !== null &&
        (await verifyPassword(password ?? '', state.passwordHash));
      if (state.status !== 'active') {
        await verifyAgainstDummy(password ?? '');
        throw new AppError('UNAUTHENTICATED', 'e-mail or password is not correct');
      }
      // Retries absorb a concurrent sign-in on the same stream; the count then includes both attempts.
      await handleCommand({
        store: ctx.store,
        streamId: personStreamId(personId),
        decider: personDecider,
        command: { type: 'RecordSignIn', personId, now: ctx.now(), passwordMatched: matched },
        metadata: metadataFor({ principalId: personId, roles: [] }),
        retriesOnConflict: 3,
      });
      if (!matched) throw new AppError('UNAUTHENTICATED', 'e-mail or password is not correct');
      return {
        principalId: personId,
        ...(state.organisationId ? { organisationId: state.organisationId } : {}),
        roles: state.roles,
        permissions: state.permissions,
      };
    },
  };
};
