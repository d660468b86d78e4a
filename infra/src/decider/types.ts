/**
 * A decider (Chassaing): pure functions, no I/O. `decide` may throw an AppError (typed, carrying its
 * HTTP meaning) to refuse a command; otherwise it returns the events that record the decision.
 */
export interface Decider<State, Command, Event> {
  initialState: () => State;
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
}

/** Events as the domain sees them: a type tag and a payload. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
}

export const fold = <State, Event>(
  decider: Pick<Decider<State, unknown, Event>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State => events.reduce(decider.evolve, decider.initialState());
