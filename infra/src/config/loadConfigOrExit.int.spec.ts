import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('loadConfigOrExit', () => {
  it('prints one line naming the variable and exits with code 2', () => {
    const script = fileURLToPath(new URL('./loadConfigOrExit.fixture.ts', import.meta.url));
    const result = spawnSync(process.execPath, ['--import', 'tsx', script], {
      env: { PATH: process.env.PATH, BUS: 'kafka' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('config error: KAFKA_BROKERS is required when BUS=kafka\n');
    expect(result.stdout).toBe('');
  });
});
