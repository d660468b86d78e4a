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
  { version: number; title: string; text: string; textSha256: string; publishedAt: string; publishedBy: string }
>;
export type CodeOfConductEvent = CodeOfConductPublished;

export interface PublishCodeOfConduct {
  type: 'PublishCodeOfConduct';
  title: string;
  text: string;
  /** Computed by the handler (hashing is not the domain's job); lets organisations cite what they accepted. */
  textSha256: string;
  now: string;
  actor: Actor;
}
export type CodeOfConductCommand = PublishCodeOfConduct;

export interface CodeOfConductState {
  currentVersion: number | null;
  currentTextSha256: string | null;
}

export const codeOfConductDecider: Decider<CodeOfConductState, CodeOfConductCommand, CodeOfConductEvent> = {
  initialState: () => ({ currentVersion: null, currentTextSha256: null }),
  evolve: (_state, event) => ({ currentVersion: event.data.version, currentTextSha256: event.data.textSha256 }),
  decide: (command, state) => {
    requireNetworkAdmin(command.actor, 'publish the code of conduct');
    const v = new Validation();
    v.text(command.title, '/title', { max: 200 });
    v.text(command.text, '/text', { max: 200_000 });
    v.check(/^[0-9a-f]{64}$/.test(command.textSha256 ?? ''), '/textSha256', 'must be a sha256 hex digest');
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
        },
      },
    ];
  },
};

export const CODE_OF_CONDUCT_STREAM = 'registry-code-of-conduct';
