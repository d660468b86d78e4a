import type { LegalStatusRecord } from '../domain/clients/clientData.js';
import type { DeadlineThresholds } from './deadlineConfig.js';
import type { DeadlineKind } from './reminderEvents.js';

export interface DueDeadline {
  deadline: DeadlineKind;
  dueDate: string;
  thresholdDays: number;
  daysLeft: number;
}

const DAY_MS = 86_400_000;

/**
 * The client's dates that fall within their threshold from `today` (both YYYY-MM-DD), today included.
 * A date already past is not "expiring": it is expired, and no longer something a reminder can prevent.
 */
export function dueDeadlines(
  legalStatus: LegalStatusRecord | undefined,
  today: string,
  thresholds: DeadlineThresholds,
): DueDeadline[] {
  if (!legalStatus) return [];
  const candidates: [DeadlineKind, string | undefined, number][] = [
    ['residence_permit', legalStatus.residencePermit?.validUntil, thresholds.permitDays],
    ['work_permit', legalStatus.workPermit?.validUntil, thresholds.permitDays],
    ['reception_exit', legalStatus.mustLeaveReceptionBy, thresholds.receptionDays],
  ];
  const out: DueDeadline[] = [];
  for (const [deadline, dueDate, thresholdDays] of candidates) {
    if (dueDate === undefined) continue;
    const daysLeft = Math.round((Date.parse(`${dueDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
    if (Number.isNaN(daysLeft) || daysLeft < 0 || daysLeft > thresholdDays) continue;
    out.push({ deadline, dueDate, thresholdDays, daysLeft });
  }
  return out;
}
