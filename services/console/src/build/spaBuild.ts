import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { initialJsBudget } from './initialJsBudget.js';

export const CONSOLE_ROOT = resolve(import.meta.dirname, '../..');
export const WEB_DIR = join(CONSOLE_ROOT, 'web');
export const DIST_DIR = join(CONSOLE_ROOT, 'dist');
const STAMP = '.source-hash';

/** What the page is built from: its sources, the contracts' generated types and vocabularies, the build itself. */
const SOURCES = [
  WEB_DIR,
  join(CONSOLE_ROOT, 'src/build'),
  join(CONSOLE_ROOT, 'package.json'),
  resolve(CONSOLE_ROOT, '../../contracts/src/generated'),
  resolve(CONSOLE_ROOT, '../../contracts/src/vocabulary'),
];

const filesUnder = (path: string): string[] => {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && !entry.name.endsWith('.spec.ts'))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
};

/** A hash of every source byte: mtimes lie after a checkout, contents do not. */
export const sourceHash = (): string => {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(filesUnder).sort()) {
    hash.update(relative(CONSOLE_ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
};

export const isBuildCurrent = (): boolean => {
  const stamp = join(DIST_DIR, STAMP);
  return existsSync(join(DIST_DIR, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceHash();
};

/**
 * Builds the page into a fresh directory and swaps it in, so a server reading dist/ never sees a
 * half-written build and two builds at once cannot interleave their files.
 */
export const buildSpa = async (options: { quiet?: boolean } = {}): Promise<{ initialJsBytes: number }> => {
  const hash = sourceHash();
  // Scratch space under .tmp/ (ignored by git), on the same disk so the swap is a rename.
  const scratch = join(CONSOLE_ROOT, '.tmp');
  mkdirSync(scratch, { recursive: true });
  const outDir = join(scratch, `build-${process.pid}-${Date.now()}`);
  let initialJsBytes = 0;
  await build({
    root: WEB_DIR,
    configFile: false,
    logLevel: options.quiet ? 'warn' : 'info',
    plugins: [react(), initialJsBudget(undefined, (bytes) => (initialJsBytes = bytes))],
    build: {
      outDir,
      emptyOutDir: true,
      // The CSP forbids inline code: no data: module preloads, no inlined scripts or styles.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      sourcemap: false,
      target: 'es2022',
    },
  });
  writeFileSync(join(outDir, STAMP), hash);
  const old = join(scratch, `old-${process.pid}-${Date.now()}`);
  if (existsSync(DIST_DIR)) renameSync(DIST_DIR, old);
  renameSync(outDir, DIST_DIR);
  rmSync(old, { recursive: true, force: true });
  return { initialJsBytes };
};

/** For `pnpm start` on a fresh clone or after a change: build only when the sources moved on. */
export const ensureSpaBuilt = async (log: (line: string) => void = console.log): Promise<void> => {
  if (isBuildCurrent()) return;
  log('building the console page (once after a change)…');
  const { initialJsBytes } = await buildSpa({ quiet: true });
  log(`console page built: initial JavaScript ${(initialJsBytes / 1024).toFixed(1)} KB gzipped`);
};
