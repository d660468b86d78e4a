import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CONTRACT_CHECK_ENV, CONTRACT_DRIFT_FILE_ENV } from '../http/contractConformance.js';

/** The contract check travels to the child, so its answers are validated as in-process ones are. */
const contractCheckEnv = (): Record<string, string> =>
  Object.fromEntries(
    [CONTRACT_CHECK_ENV, CONTRACT_DRIFT_FILE_ENV].flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
  );

export interface ChildService {
  url: string;
  /** Resolves when the process ended, with how. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry point as a real child process and waits for its "listening <url>" line
 * (the port is chosen by the OS and read back, never probed). Rejects if it exits first.
 */
export function startChildService(
  script: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ChildService> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH ?? '', ...contractCheckEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  return new Promise<ChildService>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (${code ?? signal}) before listening: ${stderr}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^listening (\S+)$/.exec(line);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        exited,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
