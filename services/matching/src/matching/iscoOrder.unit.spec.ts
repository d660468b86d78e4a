import { describe, expect, it } from 'vitest';
import { sharedEsco } from '../esco/loadEsco.js';
import { iscoKey } from './compiled.js';
import { IscoOrder } from './iscoOrder.js';

const esco = sharedEsco();
const keys = Int32Array.from({ length: esco.occupationCount }, (_, k) => iscoKey(esco.occupationIscoAt(k)));
const order = new IscoOrder(keys);

describe('ISCO order of the ESCO occupations', () => {
  it('holds every occupation once', () => {
    expect([...order.occupations].sort((a, b) => a - b)).toEqual(Array.from(keys.keys()));
  });

  it('gives, at every ISCO level, exactly the occupations sharing the group', () => {
    const samples = [0, 1, 17, 250, 999, keys.length - 1].map((k) => keys[k]!);
    for (const key of [...samples, 0, 99_999])
      for (const unit of [1, 10, 100, 1000]) {
        const [from, to] = order.range(key, unit);
        const got = [...order.occupations.subarray(from, to)].sort((a, b) => a - b);
        const want = Array.from(keys.keys()).filter((k) => Math.floor(keys[k]! / unit) === Math.floor(key / unit));
        expect(got).toEqual(want);
      }
  });
});
