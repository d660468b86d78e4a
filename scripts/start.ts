/**
 * `pnpm start`: the whole network on the embedded default (SQLite stores + embedded bus under data/),
 * each service its own process, as in production, and the web console in front of them. Prints where
 * to go; Ctrl-C stops all of them cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ensurePrivateDirectory, writePrivateFile } from '../infra/src/sql/privateFiles.js';
import { resolve } from 'node:path';
import { ensureSpaBuilt } from '../services/console/src/build/spaBuild.js';
import { SERVICES } from './services.js';
import { BANNER_END } from './banner.js';

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

// The demo's first organisation has a webhook subscription to the console's built-in receiver page:
// one signing secret, kept owner-only under DATA_DIR, known to both.
const demo = (process.env.DEMO_DATA ?? 'true') === 'true';
// With CONSOLE_PORT=0 the console's URL is known only once it listens: e-mail links and the demo
// receiver then need CONSOLE_URL set explicitly.
const consolePort = portFor('console', 3000);
const consoleLink = process.env.CONSOLE_URL ?? (consolePort === 0 ? undefined : `http://${host}:${consolePort}`);
const demoSecretFile = resolve(dataDir, 'demo-webhook-secret');
if (demo && !existsSync(demoSecretFile))
  writePrivateFile(demoSecretFile, `whsec_${randomBytes(24).toString('base64')}\n`, { exclusive: true });
const demoWebhooks: Record<string, string> =
  demo && consoleLink
    ? {
        DEMO_WEBHOOK_SECRET: readFileSync(demoSecretFile, 'utf8').trim(),
        DEMO_WEBHOOK_URL: `${consoleLink}/demo-receiver/webhooks`,
        // The receiver is on this machine: the demo network allows http to loopback (never link-local).
        WEBHOOK_ALLOW_HTTP: process.env.WEBHOOK_ALLOW_HTTP ?? 'true',
        WEBHOOK_ALLOW_LOOPBACK: process.env.WEBHOOK_ALLOW_LOOPBACK ?? 'true',
      }
    : {};

const CONSOLE = { name: 'console', port: 3000, entry: 'services/console/src/main.ts' } as const;

/**
 * Starts one process. With port 0 the OS chooses the port and the child prints `listening <url>` (see
 * runService): that line gives its URL (held, never probed); everything else it prints is passed on.
 */
function startChild(spec: { name: string; entry: string }, port: number, env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, spec.entry)], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: host, DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.set(spec.name, child);
  child.on('exit', (code, signal) => {
    children.delete(spec.name);
    if (!stopping) {
      console.error(`${spec.name} exited (${signal ?? code}); stopping the network`);
      void stopAll(1);
    } else if (children.size === 0) process.exit(process.exitCode ?? 0);
  });
  return new Promise((resolveUrl, reject) => {
    if (port !== 0) resolveUrl(`http://${host}:${port}`);
    child.once('exit', (code, signal) => reject(new Error(`${spec.name} exited (${signal ?? code}) before listening`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const listening = /^listening (http:\/\/\S+)$/.exec(line);
      if (listening && port === 0) resolveUrl(listening[1]!.replace('0.0.0.0', host));
      else process.stdout.write(`${line}\n`);
    });
  });
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

// Every service accepts only tokens of this issuer (the registry's own base URL) and its own audience. With
// REGISTRY_PORT=0 the registry's URL is known only once it listens, so the issuer is then a fixed name.
const registryPort = portFor('registry', 3001);
const common = {
  TOKEN_ISSUER:
    process.env.TOKEN_ISSUER ?? (registryPort === 0 ? 'urn:estia:registry' : `http://${host}:${registryPort}`),
  DEMO_DATA: process.env.DEMO_DATA ?? 'true',
  // Links in e-mail notifications open the console.
  ...(consoleLink ? { CONSOLE_URL: consoleLink } : {}),
  ...demoWebhooks,
};
const [registrySpec, ...others] = SERVICES;
// The registry first: the others verify tokens with its JWKS, so they need its URL.
const urls: { name: string; url: string }[] = [];
let consoleUrl = '';
try {
  // A first start shows a working network: the registry seeds a fictional demo unless told not to.
  const registryUrl = await startChild(registrySpec!, registryPort, common);
  urls.push({ name: 'registry', url: registryUrl });
  const registryEnv = {
    ...common,
    REGISTRY_URL: process.env.REGISTRY_URL ?? registryUrl,
    JWKS_URL: process.env.JWKS_URL ?? `${registryUrl}/.well-known/jwks.json`,
  };
  const started = await Promise.all(others.map((spec) => startChild(spec, portFor(spec.name, spec.port), registryEnv)));
  others.forEach((spec, i) => urls.push({ name: spec.name, url: started[i]! }));
  const serviceUrl = (name: string) => urls.find((u) => u.name === name)!.url;
  // The console calls the four services with the signed-in person's token.
  consoleUrl = await startChild(CONSOLE, portFor(CONSOLE.name, CONSOLE.port), {
    ...registryEnv,
    REFERRALS_URL: process.env.REFERRALS_URL ?? serviceUrl('referrals'),
    MATCHING_URL: process.env.MATCHING_URL ?? serviceUrl('matching'),
    INSIGHTS_URL: process.env.INSIGHTS_URL ?? serviceUrl('insights'),
  });
} catch (error) {
  console.error(String(error));
  await stopAll(1);
}

async function waitReady(name: string, url: string): Promise<void> {
  // A first start seeds the demo before it is ready: minutes on a busy machine (resumed if cut short).
  const deadline = Date.now() + Number(process.env.START_TIMEOUT_SECONDS ?? 600) * 1000;
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
    console.log(`${BANNER_END}\n`);
  }
} catch (error) {
  console.error(String(error));
  await stopAll(1);
}
