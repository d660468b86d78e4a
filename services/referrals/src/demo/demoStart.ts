import { clientStreamId } from '../domain/clients/clientDecider.js';
import { DEMO_PROGRESS_STREAM, seedDemoCases, type DemoSeedDeps } from './seedDemoCases.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * On a first start with DEMO_DATA=true: waits until the registry has seeded its demo network and this
 * service's directory has caught up with it (the registry's public HSDS total), then seeds the demo
 * caseloads. Goes only into a network without clients of its own, or resumes its own interrupted run.
 */
export async function seedDemoCaseloads(options: {
  registryUrl: string;
  deps: DemoSeedDeps;
  log: (message: string) => void;
  timeoutMs?: number;
}): Promise<number> {
  const { deps } = options;
  const started = (await deps.store.readStream(DEMO_PROGRESS_STREAM, { maxCount: 1 })).length > 0;
  if (!started && (await deps.store.listStreams({ prefix: clientStreamId(''), limit: 1 })).length > 0) return 0;
  const deadline = Date.now() + (options.timeoutMs ?? 570_000);
  let expected: number | null = null;
  while (Date.now() < deadline) {
    try {
      const ready = await fetch(new URL('/ready', options.registryUrl));
      if (ready.ok) {
        const page = (await (await fetch(new URL('/hsds/services?per_page=1', options.registryUrl))).json()) as {
          total_items: number;
        };
        expected = page.total_items;
        const [row] = await deps.db.query<{ n: number | string }>(
          'SELECT COUNT(*) AS n FROM rf_directory WHERE withdrawn = 0',
        );
        if (expected > 0 && Number(row?.n ?? 0) >= expected) return seedDemoCases(deps);
      }
    } catch {
      // the registry is not listening yet
    }
    await sleep(500);
  }
  options.log(
    `demo caseloads not seeded: the directory did not catch up with the registry (${expected ?? 'no answer'}) in time`,
  );
  return 0;
}
