import { DEFAULT_CODE_GRACE_DAYS } from '@estia/contracts';
import type { Decider, DomainEvent } from '@estia/infra/decider/types.js';
import type { Actor } from '../shared/actor.js';
import { requireNetworkAdmin } from '../shared/authorise.js';
import { Validation } from '../shared/validation.js';

/**
 * The network's code of conduct (one stream). Versions are numbered 1, 2, … by the decider, so two
 * admins publishing at once cannot both claim the same number (the second append conflicts).
 */
export type CodeOfConductPublished = DomainEvent<
  'CodeOfConductPublished',
  {
    version: number;
    title: string;
    text: string;
    textSha256: string;
    publishedAt: string;
    publishedBy: string;
    /**
     * Members that had accepted the previous version keep exchanging until then (publishedAt plus the
     * grace period). Absent from versions published before grace periods existed: no grace.
     */
    gracePeriodDays?: number;
    acceptanceDueAt?: string;
  }
>;
export type CodeOfConductEvent = CodeOfConductPublished;

export interface PublishCodeOfConduct {
  type: 'PublishCodeOfConduct';
  title: string;
  text: string;
  /** Computed by the handler (hashing is not the domain's job); lets organisations cite what they accepted. */
  textSha256: string;
  /** Days members have to accept this version before exchange stops (default 30; 0: at once). */
  gracePeriodDays?: number;
  now: string;
  actor: Actor;
}
export type CodeOfConductCommand = PublishCodeOfConduct;

export interface CodeOfConductState {
  currentVersion: number | null;
  currentTextSha256: string | null;
  /** The current version's end of grace (null: none). */
  currentAcceptanceDueAt: string | null;
}

export const MAX_CODE_GRACE_DAYS = 365;
const DAY_MS = 86_400_000;

export const codeOfConductDecider: Decider<CodeOfConductState, CodeOfConductCommand, CodeOfConductEvent> = {
  initialState: () => ({ currentVersion: null, currentTextSha256: null, currentAcceptanceDueAt: null }),
  evolve: (_state, event) => ({
    currentVersion: event.data.version,
    currentTextSha256: event.data.textSha256,
    currentAcceptanceDueAt: event.data.acceptanceDueAt ?? null,
  }),
  decide: (command, state) => {
    requireNetworkAdmin(command.actor, 'publish the code of conduct');
    const v = new Validation();
    v.text(command.title, '/title', { max: 200 });
    v.text(command.text, '/text', { max: 200_000 });
    v.check(/^[0-9a-f]{64}$/.test(command.textSha256 ?? ''), '/textSha256', 'must be a sha256 hex digest');
    const graceDays = command.gracePeriodDays ?? DEFAULT_CODE_GRACE_DAYS;
    v.check(
      Number.isInteger(graceDays) && graceDays >= 0 && graceDays <= MAX_CODE_GRACE_DAYS,
      '/gracePeriodDays',
      `must be a whole number of days from 0 to ${MAX_CODE_GRACE_DAYS}`,
    );
    v.throwIfInvalid('code of conduct');
    // Re-publishing identical text would force every organisation to accept again for nothing.
    if (state.currentTextSha256 === command.textSha256) return [];
    return [
      {
        type: 'CodeOfConductPublished',
        data: {
          version: (state.currentVersion ?? 0) + 1,
          title: command.title,
          text: command.text,
          textSha256: command.textSha256,
          publishedAt: command.now,
          publishedBy: command.actor.principalId,
          gracePeriodDays: graceDays,
          acceptanceDueAt: new Date(Date.parse(command.now) + graceDays * DAY_MS).toISOString(),
        },
      },
    ];
  },
};

export const CODE_OF_CONDUCT_STREAM = 'registry-code-of-conduct';
