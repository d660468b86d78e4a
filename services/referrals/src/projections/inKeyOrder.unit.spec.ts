import { describe, expect, it } from 'vitest';
import { inKeyOrder } from './inKeyOrder.js';

const keyOf = (item: string): string | null => (item.startsWith('!') ? null : item.split(':')[0]!);

describe('inKeyOrder', () => {
  it('sorts by key, keeps each key’s items in their order, and leaves barriers where they were', () => {
    const items = ['c:1', 'a:1', 'c:2', 'b:1', 'a:2', '!erase', 'b:2', 'a:3', '!erase2', 'z:1'];
    expect(inKeyOrder(items, keyOf)).toEqual([
      'a:1',
      'a:2',
      'b:1',
      'c:1',
      'c:2',
      '!erase',
      'a:3',
      'b:2',
      '!erase2',
      'z:1',
    ]);
  });
});
