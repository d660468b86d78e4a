import { describe, expect, it } from 'vitest';
import { containerRuntimeAvailable, formatSkipLine } from './containerRuntime.js';

describe('containerRuntimeAvailable', () => {
  it('answers a boolean without throwing, and the same answer when asked again', async () => {
    const first = await containerRuntimeAvailable();
    expect(typeof first).toBe('boolean');
    expect(await containerRuntimeAvailable()).toBe(first);
  });

  it('formats the skip line every server-backed suite prints', () => {
    expect(formatSkipLine('KurrentDB adapter contract suite', 'no KURRENTDB_URL and no container runtime')).toBe(
      'skipped: KurrentDB adapter contract suite — no KURRENTDB_URL and no container runtime',
    );
  });
});
