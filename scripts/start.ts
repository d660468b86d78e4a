/**
 * `pnpm start`: the whole network on the embedded default (SQLite stores + embedded bus under data/),
 * each service its own process, as in production, and the web console in front of them. Prints where
 * to go; Ctrl-C stops all of them cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ensurePrivateDirectory } from '../infra/src/sql/privateFiles.js';
import { resolve } from 'node:path';
import { ensureSpaBuilt } from '../services/console/src/build/spaBuild.js';
import { SERVICES } from './services.js';

const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(root, process.env.DATA_DIR ?? 'data');
const host = process.env.HOST ?? '127.0.0.1';
// Owner-only: everything under it is case data, keys or credentials.
ensurePrivateDirectory(dataDir);

const children = new Map<string, ChildProcess>();
let stopping = false;

const portFor = (name: string, fallback: number): number =>
  Number(process.env[`${name.toUpperCase()}_PORT`] ?? fallback);

// On a fresh clone or after a change to the page, build it first (a few seconds; skipped when current).
await ensureSpaBuilt();

const CONSOLE = { name: 'console', port: 3000, entry: 'services/console/src/main.ts' } as const;
const serviceUrl = (name: string, port: number) => `http://${host}:${portFor(name, port)}`;

for (const spec of [...SERVICES, CONSOLE]) {
  const port = portFor(spec.name, spec.port);
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, spec.entry)], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: host,
      DATA_DIR: dataDir,
      // A first start shows a working network: the registry seeds a fictional demo unless told not to.
      DEMO_DATA: process.env.DEMO_DATA ?? 'true',
      REGISTRY_URL: process.env.REGISTRY_URL ?? `http://${host}:${portFor('registry', 3001)}`,
      JWKS_URL: process.env.JWKS_URL ?? `http://${host}:${portFor('registry', 3001)}/.well-known/jwks.json`,
      // Every service accepts only tokens of this issuer (the registry's own base URL) and its own audience.
      TOKEN_ISSUER: process.env.TOKEN_ISSUER ?? `http://${host}:${portFor('registry', 3001)}`,
      // The console calls the three services with the signed-in person's token.
      REFERRALS_URL: process.env.REFERRALS_URL ?? serviceUrl('referrals', 3002),
      MATCHING_URL: process.env.MATCHING_URL ?? serviceUrl('matching', 3003),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.set(spec.name, child);
  child.on('exit', (code, signal) => {
    children.delete(spec.name);
    if (!stopping) {
      console.error(`${spec.name} exited (${signal ?? code}); stopping the network`);
      void stopAll(1);
    } else if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
}

async function waitReady(name: string, url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !stopping) {
    try {
      const res = await fetch(`${url}/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!stopping) throw new Error(`${name} did not become ready at ${url}`);
}

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  for (const child of children.values()) child.kill('SIGTERM');
  // A service that does not drain within 15 s is killed so Ctrl-C always returns the terminal.
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code || 1);
  }, 15_000).unref();
  if (children.size === 0) process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

const urls = SERVICES.map((s) => ({ name: s.name, url: `http://${host}:${portFor(s.name, s.port)}` }));
const consoleUrl = serviceUrl(CONSOLE.name, CONSOLE.port);
try {
  await Promise.all([...urls, { name: CONSOLE.name, url: consoleUrl }].map((u) => waitReady(u.name, u.url)));
  if (!stopping) {
    const store = process.env.EVENT_STORE ?? 'sqlite';
    const bus = process.env.BUS ?? 'embedded';
    const mode = store === 'sqlite' && bus === 'embedded' ? 'embedded mode' : `${store} event store, ${bus} bus`;
    console.log('\nESTIA network is running (%s, data in %s):', mode, dataDir);
    console.log(`  ${CONSOLE.name.padEnd(10)} ${consoleUrl}   the web console: start here`);
    for (const u of urls) console.log(`  ${u.name.padEnd(10)} ${u.url}   API docs: ${u.url}/docs`);
    console.log(`  directory  ${urls[0]!.url}/hsds/services   (public HSDS 3.0 API)`);
    console.log('Press Ctrl-C to stop.\n');
  }
} catch (error) {
  console.error(String(error));
  await stopAll(1);
}
