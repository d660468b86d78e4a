import { existsSync, unlinkSync } from 'node:fs';
import type { StoredEvent } from '../eventStore/types.js';

/** The variable that arms the hook (the fault-injection suite sets it; nothing else should). */
export const RELAY_KILL_FILE_ENV = 'FAULT_RELAY_KILL_FILE';

/**
 * Fault injection for `pnpm test:faults`: once the file named by FAULT_RELAY_KILL_FILE appears, the next
 * relay batch kills its own process with SIGKILL after the bus acknowledged the batch and before its
 * checkpoint is written, the worst moment for a relay: the restart publishes the batch again and every
 * consumer must absorb the repeats. The file is removed first, so the restarted process runs normally.
 * Returns undefined (no hook at all) unless the variable is set.
 */
export function relayKillHook(
  env: NodeJS.ProcessEnv = process.env,
): ((events: readonly StoredEvent[]) => void) | undefined {
  const file = env[RELAY_KILL_FILE_ENV];
  if (!file) return undefined;
  return (events) => {
    if (events.length === 0 || !existsSync(file)) return;
    unlinkSync(file);
    process.stderr.write(
      `fault injection: relay killed after publishing positions ${events[0]!.position}..${events[events.length - 1]!.position}, before the checkpoint\n`,
    );
    process.kill(process.pid, 'SIGKILL');
  };
}
