import { setTimeout as sleep } from 'node:timers/promises';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { GenericContainer, Wait } from 'testcontainers';
import { containerRuntimeAvailable } from '../../testing/containerRuntime.js';

export interface KurrentDbTestServer {
  /** Connection string, e.g. kurrentdb://localhost:2113?tls=false. */
  url: string;
  /** Stops the container this helper started (no-op for KURRENTDB_URL). */
  stop(): Promise<void>;
}

export const DEFAULT_KURRENTDB_IMAGE = 'docker.kurrent.io/kurrent-latest/kurrentdb:latest';

/** Why the KurrentDB suites cannot run here, or null when they can. Decided before collection (skipIf). */
export async function kurrentDbUnavailableReason(): Promise<string | null> {
  if (process.env['KURRENTDB_URL']) return null;
  if (await containerRuntimeAvailable()) return null;
  return 'no KURRENTDB_URL and no container runtime';
}

/**
 * KURRENTDB_URL if set (a developer's server or CI service), otherwise a throwaway single node in
 * insecure, in-memory mode. Projections stay off: the adapter must not depend on them.
 */
export async function startKurrentDbForTests(): Promise<KurrentDbTestServer> {
  const fromEnv = process.env['KURRENTDB_URL'];
  if (fromEnv) return { url: fromEnv, stop: async () => undefined };
  const container = await new GenericContainer(process.env['KURRENTDB_IMAGE'] ?? DEFAULT_KURRENTDB_IMAGE)
    .withEnvironment({
      KURRENTDB_CLUSTER_SIZE: '1',
      KURRENTDB_RUN_PROJECTIONS: 'None',
      KURRENTDB_INSECURE: 'true',
      KURRENTDB_MEM_DB: 'true',
    })
    .withExposedPorts(2113)
    .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCodeMatching((code) => code >= 200 && code < 300))
    .withStartupTimeout(120_000)
    .start();
  const url = `kurrentdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
  await waitUntilServing(url, 60_000);
  return { url, stop: async () => void (await container.stop()) };
}

/** /health/live answers before the node is leader; reads fail until then, so poll one. */
async function waitUntilServing(url: string, timeoutMs: number): Promise<void> {
  const client = KurrentDBClient.connectionString(url);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        for await (const resolved of client.readAll({ maxCount: 1 })) void resolved;
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(250);
      }
    }
  } finally {
    await client.dispose();
  }
}
