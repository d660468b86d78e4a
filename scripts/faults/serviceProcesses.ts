import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { SERVICES, type ServiceSpec } from '../services.js';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The suite's own environment minus what chooses a service's stores and secrets: a PG_URL meant for the
 * suite (the server for the PostgreSQL run) must not put the embedded run's read models on PostgreSQL.
 */
const NOT_INHERITED =
  /^(PG_URL|PG_SCHEMA|EVENT_STORE|BUS|KAFKA_BROKERS|KURRENTDB_URL|DATA_DIR|PORT|HOST|KEY_ENCRYPTION_KEY|KEY_ENCRYPTION_KEYS_PREVIOUS|BLIND_INDEX_KEY|WEBHOOK_SECRETS_KEY|DEMO_DATA|\w+_PORT)$/;
const inheritedEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([k]) => !NOT_INHERITED.test(k)));

export type ServiceName = 'registry' | 'referrals' | 'matching';

/** Why a process ended: the suite's own SIGKILL, an injected fault inside it, or a crash (a finding). */
export interface ExitRecord {
  service: ServiceName;
  signal: string | null;
  code: number | null;
  planned: boolean;
  at: number;
  /** The end of what the process wrote to stderr (why it crashed, when it did). */
  lastOutput: string;
  /**
   * A restart that could not bind its old port: between the kill and the restart, an outgoing
   * connection of any process on the machine may have been given that number as its local port. The
   * service rightly exits 1; the supervisor tries again. A fact of the suite's port reuse, not a crash.
   */
  portTaken: boolean;
}

interface Managed {
  spec: ServiceSpec & { name: ServiceName };
  env: Record<string, string>;
  port: number;
  url: string;
  child?: ChildProcess;
  /** The suite killed it on purpose (so its exit is expected). */
  killing: boolean;
  listening: boolean;
  starting?: Promise<void>;
  starts: number;
}

/**
 * The network's real service processes (`node --import tsx services/<name>/src/main.ts`, as `pnpm start`
 * runs them), supervised: a process that ends for any reason is started again on the port it had (so
 * the others' REGISTRY_URL / JWKS_URL stay right), until `stopAll`. Output goes to DATA_DIR/logs.
 */
export class ServiceProcesses {
  private readonly services = new Map<ServiceName, Managed>();
  private stopping = false;
  readonly exits: ExitRecord[] = [];
  private readonly logs = new Map<ServiceName, WriteStream>();

  constructor(private readonly dataDir: string) {}

  url(name: ServiceName): string {
    return this.services.get(name)!.url;
  }

  /** Starts one service (port 0 the first time: the OS picks, the process prints `listening <url>`). */
  async start(name: ServiceName, env: Record<string, string>): Promise<string> {
    const spec = SERVICES.find((s) => s.name === name)! as ServiceSpec & { name: ServiceName };
    const managed: Managed = { spec, env, port: 0, url: '', killing: false, listening: false, starts: 0 };
    this.services.set(name, managed);
    this.logs.set(name, createWriteStream(join(this.dataDir, 'logs', `${name}.log`), { flags: 'a', mode: 0o600 }));
    await this.spawn(managed);
    return managed.url;
  }

  private spawn(managed: Managed): Promise<void> {
    const log = this.logs.get(managed.spec.name)!;
    managed.starts += 1;
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, managed.spec.entry)], {
      cwd: ROOT,
      env: {
        ...inheritedEnv(),
        ...managed.env,
        PORT: String(managed.port),
        HOST: '127.0.0.1',
        DATA_DIR: this.dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    managed.child = child;
    let listened = false;
    let stderrTail = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-1_500);
    });
    const listening = new Promise<void>((resolveListening, reject) => {
      let exited = false;
      child.once('exit', (code, signal) => {
        exited = true;
        reject(new Error(`${managed.spec.name} exited (${signal ?? code}) before listening`));
      });
      const bound = (url: string) => {
        if (listened || exited) return;
        managed.url = url;
        managed.port = Number(new URL(url).port);
        listened = true;
        managed.listening = true;
        resolveListening();
      };
      createInterface({ input: child.stdout! }).on('line', (line) => {
        log.write(`${line}\n`);
        // Port 0: the process says where it listens.
        const match = /^listening (http:\/\/\S+)$/.exec(line);
        if (match) bound(match[1]!);
      });
      // Its own port again (a restart): it prints nothing, so it is listening once /health answers.
      if (managed.port !== 0) {
        const url = `http://127.0.0.1:${managed.port}`;
        void (async () => {
          while (!listened && !exited) {
            const up = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })
              .then((r) => r.status < 500)
              .catch(() => false);
            if (up) bound(url);
            else await new Promise((r) => setTimeout(r, 100));
          }
        })();
      }
    });
    child.once('exit', (code, signal) => {
      if (managed.child !== child) return;
      managed.child = undefined;
      managed.listening = false;
      this.exits.push({
        service: managed.spec.name,
        signal,
        code,
        planned: managed.killing,
        at: Date.now(),
        lastOutput: stderrTail.trim(),
        portTaken: !listened && /EADDRINUSE/.test(stderrTail),
      });
      log.write(`--- exited (${signal ?? code})${managed.killing ? ' by the fault suite' : ''}\n`);
      managed.killing = false;
      // A process that never listened is retried by whoever started it (start or restart).
      if (listened && !this.stopping) managed.starting = this.restart(managed);
    });
    return listening;
  }

  private async restart(managed: Managed): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt += 1) {
      try {
        await this.spawn(managed);
        return;
      } catch (error) {
        // The port may be taken for a moment (TIME_WAIT is not an obstacle, another process is).
        this.logs.get(managed.spec.name)!.write(`--- restart ${attempt} failed: ${String(error)}\n`);
        await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * attempt)));
      }
    }
  }

  /** SIGKILL now (an expected exit); the supervisor starts it again. */
  kill(name: ServiceName): boolean {
    const managed = this.services.get(name)!;
    if (!managed.child) return false;
    managed.killing = true;
    managed.child.kill('SIGKILL');
    return true;
  }

  running(name: ServiceName): boolean {
    return this.services.get(name)?.listening === true;
  }

  /** Waits until every service answers /ready with 200. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const [name, managed] of this.services) {
      for (;;) {
        if (Date.now() > deadline) throw new Error(`${name} not ready within ${timeoutMs} ms`);
        const ok = await fetch(`${managed.url}/ready`, { signal: AbortSignal.timeout(5_000) })
          .then((r) => r.ok)
          .catch(() => false);
        if (ok) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** SIGTERM (graceful drain) for every process, SIGKILL after 20 s. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.services.values()].map(async (managed) => {
        await managed.starting?.catch(() => undefined);
        const child = managed.child;
        if (!child) return;
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    await Promise.all([...this.logs.values()].map((log) => new Promise<void>((r) => log.end(() => r()))));
  }
}
