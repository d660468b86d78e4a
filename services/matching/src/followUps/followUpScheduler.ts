import { int } from '@estia/infra/config/configSchema.js';
import { loadConfig } from '@estia/infra/config/loadConfig.js';
import type { ProcessorDefinition } from '@estia/infra/processors/runtime.js';
import { scheduleProcessor } from '@estia/infra/processors/scheduleProcessor.js';
import { announceDueFollowUps, type AnnouncedFollowUp, type FollowUpDeps } from './announceDueFollowUps.js';

export const FOLLOW_UPS_DUE_PROCESSOR = 'matching.follow-ups-due';

export const followUpConfigSchema = {
  /** How often the scheduler looks for follow-ups that fell due; announcing is idempotent, so short only costs reads. */
  FOLLOW_UP_INTERVAL_SECONDS: int({ min: 1, max: 86_400 }).withDefault(3_600),
};

/**
 * Placement follow-ups falling due, as a supervised processor: `announceDueFollowUps` every interval,
 * one run at a time on one replica (the runtime's lease); the log itself keeps a takeover or a restart
 * from announcing one twice. Throws ConfigError at once on a bad FOLLOW_UP_INTERVAL_SECONDS.
 */
export function followUpsDueProcessor(
  deps: FollowUpDeps & {
    env?: Readonly<Record<string, string | undefined>>;
    /** Default: one interval after start (the read models are caught up by then). */
    firstRunAfterMs?: number;
    onAnnounced?: (announced: AnnouncedFollowUp[]) => void;
  },
): ProcessorDefinition {
  const everyMs = loadConfig(followUpConfigSchema, deps.env ?? process.env).FOLLOW_UP_INTERVAL_SECONDS * 1000;
  return scheduleProcessor({
    name: FOLLOW_UPS_DUE_PROCESSOR,
    everyMs,
    firstAfterMs: deps.firstRunAfterMs ?? everyMs,
    tick: async () => {
      const announced = await announceDueFollowUps(deps);
      if (announced.length > 0) deps.onAnnounced?.(announced);
      return announced.length;
    },
  });
}
