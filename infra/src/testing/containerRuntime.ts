import { getContainerRuntimeClient } from 'testcontainers';

const PROBE_TIMEOUT_MS = 2000;

let probe: Promise<boolean> | undefined;

/**
 * True when testcontainers can reach a Docker/Podman engine. Memoised and bounded to ~2 s because it
 * runs at test-collection time in every server-backed suite, and never throws: a missing engine is a
 * reason to skip, not a test failure.
 */
export function containerRuntimeAvailable(): Promise<boolean> {
  probe ??= detect();
  return probe;
}

async function detect(): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
    timer.unref();
  });
  const attempt = getContainerRuntimeClient().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([attempt, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** e.g. "skipped: Kafka bus contract suite — no KAFKA_BROKERS and no container runtime". */
export const formatSkipLine = (what: string, why: string): string => `skipped: ${what} — ${why}`;

/** Prints the one-line notice a server-backed suite gives when it cannot run here (and returns it). */
export function skipLine(what: string, why: string): string {
  const line = formatSkipLine(what, why);
  console.log(line);
  return line;
}
