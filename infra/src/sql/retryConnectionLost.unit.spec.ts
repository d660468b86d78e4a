import { describe, expect, it } from 'vitest';
import { retryWhileConnectionLost } from './retryConnectionLost.js';

const terminated = () =>
  Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('retryWhileConnectionLost', () => {
  it('runs the work again after a lost connection, and answers what the successful try answered', async () => {
    let tries = 0;
    const retried: number[] = [];
    const answer = await retryWhileConnectionLost(
      async () => {
        tries += 1;
        if (tries < 3) throw terminated();
        return 'bootstrapped';
      },
      { attempts: 5, delayMs: () => 1, onRetry: (_, attempt) => retried.push(attempt) },
    );
    expect(answer).toBe('bootstrapped');
    expect(retried).toEqual([1, 2]);
  });

  it('throws any other error at once, and the last lost connection once the attempts are spent', async () => {
    let tries = 0;
    const broken = new Error('relation "x" does not exist');
    await expect(
      retryWhileConnectionLost(
        async () => {
          tries += 1;
          throw broken;
        },
        { attempts: 5, delayMs: () => 1 },
      ),
    ).rejects.toBe(broken);
    expect(tries).toBe(1);
    tries = 0;
    await expect(
      retryWhileConnectionLost(
        async () => {
          tries += 1;
          throw terminated();
        },
        { attempts: 3, delayMs: () => 1 },
      ),
    ).rejects.toMatchObject({ code: '57P01' });
    expect(tries).toBe(3);
  });
});
