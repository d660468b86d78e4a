/** One stream per client for deadline reminders: issuing one never contends with the client's own stream. */
export const deadlinesStreamId = (clientId: string): string => `client-deadlines-${clientId}`;

export const DEADLINE_KINDS = ['residence_permit', 'work_permit', 'reception_exit'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const REMINDER_ISSUED = 'DeadlineReminderIssued';

/**
 * A reminder to the owning organisation that one of the client's dates is near. The date itself is
 * personal (it says when a person loses their permit or their bed) and is sealed under `personal`, so
 * the reminder reads as "erased" once the client's key is gone.
 */
export interface DeadlineReminderIssued {
  type: typeof REMINDER_ISSUED;
  data: {
    reminderId: string;
    clientId: string;
    /** The organisation that registered the client when the reminder was issued. */
    organisationId: string;
    deadline: DeadlineKind;
    /** The threshold that triggered it (days before the date). */
    thresholdDays: number;
    issuedAt: string;
    personal: { dueDate: string };
  };
}
