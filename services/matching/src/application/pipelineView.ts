import { addMonths } from '../domain/shared/dates.js';
import { FOLLOW_UP_MONTHS, type FollowUpMonth, type PipelineStatus } from '../domain/pipeline/pipelineDecider.js';

/** The columns of the pipeline a coach works in. */
export const STAGES = ['proposed', 'applied', 'interview', 'hired', 'ended'] as const;
export type Stage = (typeof STAGES)[number];

const STAGE_OF: Record<PipelineStatus, Stage> = {
  none: 'ended',
  proposed: 'proposed',
  interested: 'proposed',
  applied: 'applied',
  interviewing: 'interview',
  offered: 'interview',
  hired: 'hired',
  not_interested: 'ended',
  not_hired: 'ended',
  withdrawn: 'ended',
  employment_ended: 'ended',
};

export const stageOf = (status: PipelineStatus): Stage => STAGE_OF[status];

/** The statuses shown in a stage. */
export const statusesOf = (stage: Stage): PipelineStatus[] =>
  (Object.keys(STAGE_OF) as PipelineStatus[]).filter((s) => s !== 'none' && STAGE_OF[s] === stage);

export interface FollowUpDue {
  month: FollowUpMonth;
  dueDate: string;
  /** due: the date has come and nothing is recorded; not_needed: the employment ended before. */
  state: 'upcoming' | 'due' | 'recorded' | 'not_needed';
}

/** Follow-ups at 1, 3 and 6 months after the start date, with their due dates (none before a hire). */
export function followUpSchedule(
  placement: { status: PipelineStatus; startDate: string | null; followUps: readonly number[] },
  today: string,
): FollowUpDue[] {
  if (placement.startDate === null) return [];
  return FOLLOW_UP_MONTHS.map((month) => {
    const dueDate = addMonths(placement.startDate!, month);
    const state: FollowUpDue['state'] = placement.followUps.includes(month)
      ? 'recorded'
      : placement.status === 'employment_ended'
        ? 'not_needed'
        : today >= dueDate
          ? 'due'
          : 'upcoming';
    return { month, dueDate, state };
  });
}
