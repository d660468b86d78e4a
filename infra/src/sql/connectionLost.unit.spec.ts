import { describe, expect, it } from 'vitest';
import { isConnectionLost } from './connectionLost.js';

const pgError = (code: string) =>
  Object.assign(new Error('terminating connection due to administrator command'), { code });

describe('isConnectionLost', () => {
  it('knows the driver and server ways of saying the database is gone', () => {
    for (const error of [
      pgError('57P01'),
      pgError('08006'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ])
      expect(isConnectionLost(error), String(error)).toBe(true);
  });

  it('sees through a wrapper that keeps the driver error as its cause', () => {
    expect(isConnectionLost(new Error('append failed', { cause: pgError('57P01') }))).toBe(true);
    expect(isConnectionLost(new Error('outer', { cause: new Error('inner', { cause: pgError('08003') }) }))).toBe(true);
  });

  it('a wrong statement, a conflict or a non-error is no lost connection', () => {
    for (const error of [pgError('23505'), pgError('42P01'), new Error('version conflict'), 'text', null, undefined])
      expect(isConnectionLost(error), String(error)).toBe(false);
  });
});
