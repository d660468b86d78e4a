import { describe, expect, it } from 'vitest';
import { keyedRounds } from './keyedRounds.js';

const key = (e: string) => (e === '!' ? null : e[0]!);

describe('keyedRounds', () => {
  it('puts each key once in a round, its events in log order across rounds', () => {
    expect(keyedRounds(['a1', 'b1', 'a2', 'c1', 'a3', 'b2'], key)).toEqual([['a1', 'b1', 'c1'], ['a2', 'b2'], ['a3']]);
  });

  it('applies a barrier alone, after everything before it and before everything after it', () => {
    expect(keyedRounds(['a1', 'a2', '!', 'a3', 'b1'], key)).toEqual([['a1'], ['a2'], ['!'], ['a3', 'b1']]);
  });

  it('gives no rounds for no events', () => {
    expect(keyedRounds([], key)).toEqual([]);
  });
});
