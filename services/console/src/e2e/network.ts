import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// The banner's format belongs to scripts/start.ts, which prints it.
import { bannerUrls } from '../../../../scripts/banner.js';

const ROOT = resolve(import.meta.dirname, '../../../..');

export interface RunningNetwork {
  console: string;
  registry: string;
  referrals: string;
  matching: string;
  insights: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * The network as `pnpm start` runs it (four services and the console, embedded stores under a fresh
 * temporary DATA_DIR, the demo seeded), every process on a port the OS chose (read back from the
 * banner once it is complete), for the console's browser tests.
 */
export const startNetwork = async (options: { timeoutMs?: number } = {}): Promise<RunningNetwork> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'estia-console-'));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      CONSOLE_PORT: '0',
      REGISTRY_PORT: '0',
      REFERRALS_PORT: '0',
      MATCHING_PORT: '0',
      INSIGHTS_PORT: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const deadline = Date.now() + (options.timeoutMs ?? 480_000);
  let urls: Record<string, string> | null;
  while ((urls = bannerUrls(output)) === null) {
    if (exited()) throw new Error(`pnpm start exited early\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the network did not start in time\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    console: urls.console!,
    registry: urls.registry!,
    referrals: urls.referrals!,
    matching: urls.matching!,
    insights: urls.insights!,
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
