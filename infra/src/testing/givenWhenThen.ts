import { isAppError } from '../errors/appError.js';
import type { ErrorCode } from '../errors/codes.js';
import type { Decider } from '../decider/types.js';

/**
 * Specification kit for deciders: given(past events) / when(command) / then(new events | error).
 * Pure: no store, no clock (commands carry their own `now`), so a failing spec points at the rule.
 *
 *   const spec = DeciderSpecification.for(referralDecider);
 *   spec.given([requested]).when(accept).then([accepted]);
 *   spec.given([rejected]).when(accept).thenThrows('ILLEGAL_TRANSITION', /rejected/);
 */
export const DeciderSpecification = {
  for<State, Command, Event>(decider: Decider<State, Command, Event>) {
    return {
      given(events: readonly Event[] = []) {
        return {
          when(command: Command) {
            const run = (): Event[] => {
              const state = events.reduce(decider.evolve, decider.initialState());
              return decider.decide(command, state);
            };
            return {
              then(expected: readonly Event[]): void {
                assertDeepEqual(run(), expected);
              },
              /** For events carrying generated values: assert on the produced events yourself. */
              thenEvents(assert: (events: Event[]) => void): void {
                assert(run());
              },
              thenNothing(): void {
                assertDeepEqual(run(), []);
              },
              thenThrows(code: ErrorCode, message?: RegExp): void {
                let produced: Event[] | undefined;
                try {
                  produced = run();
                } catch (error) {
                  if (!isAppError(error)) throw new Error(`expected AppError ${code}, got ${String(error)}`);
                  if (error.code !== code)
                    throw new Error(`expected error ${code}, got ${error.code}: ${error.message}`);
                  if (message && !message.test(error.message))
                    throw new Error(`error message "${error.message}" does not match ${message}`);
                  return;
                }
                throw new Error(`expected error ${code}, but the decider produced ${JSON.stringify(produced)}`);
              },
            };
          },
        };
      },
    };
  },
};

function assertDeepEqual(actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual, null, 2);
  const e = JSON.stringify(expected, null, 2);
  if (a !== e) throw new Error(`events differ\nexpected: ${e}\nactual:   ${a}`);
}
