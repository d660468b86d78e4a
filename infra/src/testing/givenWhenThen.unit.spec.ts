import { describe, it, expect } from 'vitest';
import { AppError } from '../errors/appError.js';
import type { Decider } from '../decider/types.js';
import { DeciderSpecification } from './givenWhenThen.js';

// A tiny decider exercising the kit itself; the services' specs show it on real rules.
type Event = { type: 'Opened' } | { type: 'Closed' };
type Command = { type: 'Open' } | { type: 'Close' };
const door: Decider<'open' | 'closed', Command, Event> = {
  initialState: () => 'closed',
  evolve: (_s, e) => (e.type === 'Opened' ? 'open' : 'closed'),
  decide: (c, s) => {
    if (c.type === 'Open') {
      if (s === 'open') throw new AppError('ILLEGAL_TRANSITION', 'door is already open');
      return [{ type: 'Opened' }];
    }
    return s === 'open' ? [{ type: 'Closed' }] : [];
  },
};

describe('DeciderSpecification', () => {
  const spec = DeciderSpecification.for(door);
  it('passes on the produced events', () =>
    spec
      .given([])
      .when({ type: 'Open' })
      .then([{ type: 'Opened' }]));
  it('fails when events differ', () =>
    expect(() =>
      spec
        .given([])
        .when({ type: 'Open' })
        .then([{ type: 'Closed' }]),
    ).toThrow(/events differ/));
  it('checks the error code', () =>
    spec
      .given([{ type: 'Opened' }])
      .when({ type: 'Open' })
      .thenThrows('ILLEGAL_TRANSITION', /already open/));
  it('fails when a wrong error code is expected', () =>
    expect(() =>
      spec
        .given([{ type: 'Opened' }])
        .when({ type: 'Open' })
        .thenThrows('FORBIDDEN'),
    ).toThrow(/expected error FORBIDDEN/));
  it('fails when an error is expected but events are produced', () =>
    expect(() => spec.given([]).when({ type: 'Open' }).thenThrows('ILLEGAL_TRANSITION')).toThrow(/produced/));
  it('thenNothing', () => spec.given([]).when({ type: 'Close' }).thenNothing());
});
