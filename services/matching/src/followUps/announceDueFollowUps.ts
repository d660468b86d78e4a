import { randomUUID } from 'node:crypto';
import type { Clock } from '@estia/infra/clock/clock.js';
import { handleCommand } from '@estia/infra/commandHandling/handleCommand.js';
import { fold } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { PLACEMENT_FACTS, placementFactsOf, type PlacementFacts } from '../application/placementFacts.js';
import {
  FOLLOW_UP_MONTHS,
  applicationStreamId,
  pipelineDecider,
  type FollowUpMonth,
  type PipelineCommand,
  type PipelineEvent,
  type PipelineState,
} from '../domain/pipeline/pipelineDecider.js';
import { addDays, addMonths, dateOf } from '../domain/shared/dates.js';

export interface FollowUpDeps {
  store: EventStore;
  /** The matching read models (matching_applications, matching_follow_ups_due). */
  db: SqlExecutor;
  clock: Clock;
}

export interface AnnouncedFollowUp {
  placementId: string;
  month: FollowUpMonth;
}

/** Who announces: the service itself, on no organisation's behalf. */
const SYSTEM = { organisationId: 'system', userId: 'system:follow-ups' };

/** Refusals of one month that leave the stream as read: that month is done (or not due), try the next. */
const MONTH_DONE = new Set(['CONFLICT', 'BUSINESS_RULE_VIOLATED']);
/** The stream moved on (another replica, a coach) or the placement ended: the next pass reads it again. */
const STREAM_MOVED = new Set(['STREAM_VERSION_CONFLICT', 'ILLEGAL_TRANSITION']);

/** The months whose date has come, that nobody recorded, by the read models (the decider has the last word). */
export const dueMonths = (startDate: string, recorded: readonly number[], today: string): FollowUpMonth[] =>
  FOLLOW_UP_MONTHS.filter((m) => addMonths(startDate, m) <= today && !recorded.includes(m));

/**
 * One pass: every hired placement whose 1-, 3- or 6-month follow-up has come and is neither recorded
 * nor announced gets one FollowUpDue event on its own stream, which the relay publishes to the coach's
 * and the employer's organisations. Exactly once: the decider refuses a month already announced, read
 * from the stream itself, and the append expects the version read, so neither a restart nor a second
 * replica announces one twice (the loser's append conflicts and it passes on).
 */
export async function announceDueFollowUps(deps: FollowUpDeps): Promise<AnnouncedFollowUp[]> {
  const { store, db, clock } = deps;
  const now = clock().toISOString();
  const today = dateOf(now);
  // A month after the start at the earliest (28 days: the shortest month, clamped by addMonths).
  const rows = await db.query<{ application_id: string; start_date: string; follow_ups: string }>(
    `SELECT application_id, start_date, follow_ups FROM matching_applications
     WHERE status = 'hired' AND start_date IS NOT NULL AND start_date <= $1 ORDER BY start_date, application_id`,
    [addDays(today, -28)],
  );
  const correlationId = randomUUID();
  const announced: AnnouncedFollowUp[] = [];
  for (const row of rows) {
    const candidates = dueMonths(row.start_date, JSON.parse(row.follow_ups) as number[], today);
    if (candidates.length === 0) continue;
    const done = await db.query<{ month: number | string }>(
      'SELECT month FROM matching_follow_ups_due WHERE application_id = $1',
      [row.application_id],
    );
    const months = candidates.filter((m) => !done.some((d) => Number(d.month) === m));
    if (months.length === 0) continue;

    const streamId = applicationStreamId(row.application_id);
    const events = await store.readStream(streamId);
    const proposed = events[0] && placementFactsOf(events[0].metadata);
    if (!proposed) continue;
    let state = fold(
      pipelineDecider,
      events.map((e) => ({ type: e.type, data: e.data }) as PipelineEvent),
    );
    let version = events[events.length - 1]!.revision;
    for (const month of months) {
      const facts: PlacementFacts = { ...proposed, previousStatus: state.status };
      delete facts.job;
      const command: PipelineCommand = {
        type: 'AnnounceFollowUpDue',
        applicationId: row.application_id,
        now,
        by: SYSTEM,
        month,
      };
      try {
        const result = await handleCommand<PipelineState, PipelineCommand, PipelineEvent>({
          store,
          streamId,
          decider: pipelineDecider,
          command,
          metadata: { correlationId, actor: { userId: SYSTEM.userId }, [PLACEMENT_FACTS]: facts },
          expectedVersion: version,
        });
        state = result.state;
        version = result.nextExpectedVersion as number;
        announced.push({ placementId: row.application_id, month });
      } catch (error) {
        if (error instanceof AppError && MONTH_DONE.has(error.code)) continue;
        if (error instanceof AppError && STREAM_MOVED.has(error.code)) break;
        throw error;
      }
    }
  }
  return announced;
}
