import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../../..');

export interface RunningNetwork {
  console: string;
  registry: string;
  referrals: string;
  matching: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * The network as `pnpm start` runs it (three services and the console, embedded stores under a fresh
 * temporary DATA_DIR, the demo seeded) on random free-looking ports, for the console's browser tests.
 */
export const startNetwork = async (options: { timeoutMs?: number } = {}): Promise<RunningNetwork> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'estia-console-'));
  const base = 46_000 + Math.floor(Math.random() * 500) * 4;
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      CONSOLE_PORT: String(base),
      REGISTRY_PORT: String(base + 1),
      REFERRALS_PORT: String(base + 2),
      MATCHING_PORT: String(base + 3),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const deadline = Date.now() + (options.timeoutMs ?? 480_000);
  while (!output.includes('ESTIA network is running')) {
    if (exited()) throw new Error(`pnpm start exited early\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the network did not start in time\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const url = (port: number) => `http://127.0.0.1:${port}`;
  return {
    console: url(base),
    registry: url(base + 1),
    referrals: url(base + 2),
    matching: url(base + 3),
    dataDir,
    output: () => output,
    async stop() {
      if (exited()) return child.exitCode;
      const code = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      child.kill('SIGINT');
      const result = await code;
      rmSync(dataDir, { recursive: true, force: true });
      return result;
    },
  };
};
