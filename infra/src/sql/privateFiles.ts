import { chmodSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Owner-only modes for everything a service keeps on disk (special-category personal data). */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Creates `dir` (and missing parents) owner-only, and tightens it if it already existed. */
export function ensurePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Prepares a SQLite database file before the driver opens it: the folder owner-only, the file
 * created 0600 if missing (SQLite gives its -wal and -shm files the main file's mode) and tightened
 * if an earlier version left it readable by others, together with any -wal/-shm left from then.
 */
export function preparePrivateDatabaseFile(path: string): void {
  if (path === ':memory:' || path === '') return;
  ensurePrivateDirectory(dirname(path));
  if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`])
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
}

/** Writes a file readable by its owner only (also when it existed with wider permissions). */
export function writePrivateFile(path: string, content: string, options: { exclusive?: boolean } = {}): void {
  ensurePrivateDirectory(dirname(path));
  writeFileSync(path, content, { mode: PRIVATE_FILE_MODE, ...(options.exclusive ? { flag: 'wx' } : {}) });
  chmodSync(path, PRIVATE_FILE_MODE);
}
