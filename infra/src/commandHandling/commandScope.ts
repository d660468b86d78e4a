import { AsyncLocalStorage } from 'node:async_hooks';
import type { Appended, EventMetadata, IdempotencyRecordInput } from '../eventStore/types.js';

/**
 * What a command decided, as its answer needs it: the state after the new events and the stream's
 * version. Answers are built from this, never from a read model that may lag behind.
 */
export interface Decision<State = unknown> {
  streamId: string;
  state: State;
  /** The new events (possibly none). */
  events: readonly unknown[];
  /** The stream's revision after the command (the ETag); null if it still does not exist. */
  nextExpectedVersion: number | null;
  /** The store's timestamp of the new events; for a command that wrote nothing, of the last event (null: none). */
  recordedAt: string | null;
  /** The metadata the command's events carry (facts such as PLACEMENT_FACTS live there). */
  metadata: EventMetadata;
  /** Global position of the last event written, for a bounded read-your-writes wait. */
  lastPosition?: number;
}

/** An HTTP answer, as recorded with the events and replayed to a retry. */
export interface CommandAnswer {
  status: number;
  headers: Record<string, string>;
  /** JSON body; undefined for none (204). */
  body?: unknown;
}

export interface IdempotencyClaim {
  scope: string;
  key: string;
  requestHash: string;
}

/**
 * The request-scoped context of one command (set by the HTTP layer around a route's command, read by
 * handleCommand): how to answer, and the Idempotency-Key whose record must commit with the events.
 * Carried by AsyncLocalStorage so that the applications between route and store need not pass it on.
 */
export interface CommandScope {
  claim: IdempotencyClaim | undefined;
  answer: (decision: Decision) => CommandAnswer;
  /** The first decision in the scope: the one the answer is about. */
  decision?: Decision;
  /** Set once the first decision is final: later decisions in the scope are follow-ups. */
  settled?: boolean;
  /** The answer committed with the events (as serialised in the record). */
  recorded?: string;
}

const storage = new AsyncLocalStorage<CommandScope>();

export const runInCommandScope = <T>(scope: CommandScope, run: () => Promise<T>): Promise<T> => storage.run(scope, run);

export const serialiseAnswer = (answer: CommandAnswer): string => JSON.stringify(answer);

export const parseAnswer = (text: string): CommandAnswer => JSON.parse(text) as CommandAnswer;

/**
 * For the first decision of the scope (the one the answer is about): notes it, and returns the record
 * to commit with its events (undefined: no key, nothing to append, or not the first decision; a
 * command's follow-ups on other aggregates append plainly). A retry after a conflict decides again.
 */
export function takePrimaryDecision(decision: Decision, appends: boolean): IdempotencyRecordInput | undefined {
  const scope = storage.getStore();
  if (!scope || scope.settled || (scope.decision && scope.decision.streamId !== decision.streamId)) return undefined;
  scope.decision = decision;
  if (!appends || !scope.claim) return undefined;
  const { claim } = scope;
  return {
    ...claim,
    // Called by the store while committing: the answer sees the revision and the store's recordedAt.
    response: (appended: readonly Appended[]) => {
      const first = appended[0]!;
      const answered = scope.answer({
        ...decision,
        nextExpectedVersion: first.nextExpectedVersion,
        recordedAt: first.recordedAt,
      });
      scope.recorded = serialiseAnswer(answered);
      return scope.recorded;
    },
  };
}

/** After the primary decision's append (or its no-op): its final version, time and position. */
export function settlePrimaryDecision(decision: Decision): void {
  const scope = storage.getStore();
  if (!scope || scope.settled || scope.decision?.streamId !== decision.streamId) return;
  scope.decision = decision;
  scope.settled = true;
}
