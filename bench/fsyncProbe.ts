/**
 * The disk's durable-write rate, measured next to the appends it bounds: `pg_test_fsync`'s fdatasync
 * figure (one 8 kB write + fdatasync, what a PostgreSQL commit waits for) when installed, and the same
 * loop done here on a file in the folder the SQLite store writes to.
 */
import { execFile } from 'node:child_process';
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const CANDIDATES = [
  'pg_test_fsync',
  '/usr/lib/postgresql/17/bin/pg_test_fsync',
  '/usr/lib/postgresql/16/bin/pg_test_fsync',
  '/usr/lib/postgresql/15/bin/pg_test_fsync',
];

/** fdatasync ops/s that pg_test_fsync reports for one 8 kB write, or null when it is not installed. */
export async function pgTestFsync(dir: string, seconds = 2): Promise<{ opsPerSecond: number; tool: string } | null> {
  for (const tool of CANDIDATES) {
    const file = join(dir, `pg_test_fsync-${process.pid}.out`);
    try {
      const { stdout } = await run(tool, ['-f', file, '-s', String(seconds)], { timeout: 120_000 });
      // The first "fdatasync" line is the one-8kB-write comparison.
      const match = /^\s*fdatasync\s+([\d.]+) ops\/sec/m.exec(stdout);
      if (match) return { opsPerSecond: Math.round(Number(match[1])), tool };
    } catch {
      // not this path; try the next one
    } finally {
      rmSync(file, { force: true });
    }
  }
  return null;
}

/** The same loop from Node: overwrite one 8 kB block of a file, fdatasync, for `seconds`. */
export function fileFdatasyncProbe(dir: string, seconds = 2): { opsPerSecond: number } {
  const file = join(dir, `fdatasync-probe-${process.pid}.bin`);
  const block = Buffer.alloc(8192, 7);
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, block, 0, block.length, 0);
    fdatasyncSync(fd);
    let ops = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    while (performance.now() < until) {
      writeSync(fd, block, 0, block.length, 0);
      fdatasyncSync(fd);
      ops++;
    }
    return { opsPerSecond: Math.round(ops / ((performance.now() - started) / 1000)) };
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
}
