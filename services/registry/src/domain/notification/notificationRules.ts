import type { EventEnvelope } from '@estia/contracts';
import type { Role } from '../shared/actor.js';

/**
 * Which people hear of which public event by e-mail, and how by default. Pure: the consumer looks the
 * people up and applies their own choices. A message names a reference (an id) and a console link,
 * never a client's personal data.
 */
export const NOTIFICATION_KINDS = [
  'referral-received',
  'referral-accepted',
  'referral-rejected',
  'referral-completed',
  'referral-expired',
  'access-request-answered',
  'access-request-received',
  'deadline-approaching',
  'follow-up-due',
  'membership-decision',
  'webhook-disabled',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const DELIVERY_MODES = ['immediate', 'daily', 'off'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const NOTIFICATION_LANGUAGES = ['en', 'el', 'ar', 'fa', 'fr', 'uk'] as const;
export type NotificationLanguage = (typeof NOTIFICATION_LANGUAGES)[number];

export interface NotificationPreferences {
  language: NotificationLanguage;
  kinds: Partial<Record<NotificationKind, DeliveryMode>>;
}

/** The roles each kind is meant for, and the default for them; everyone else gets nothing. */
const AUDIENCE: Record<NotificationKind, { roles: readonly Role[]; default: DeliveryMode }> = {
  // An unanswered referral expires: officers hear of a new one at once.
  'referral-received': { roles: ['referral_officer'], default: 'immediate' },
  'referral-accepted': { roles: ['referral_officer'], default: 'daily' },
  'referral-rejected': { roles: ['referral_officer'], default: 'immediate' },
  'referral-completed': { roles: ['referral_officer'], default: 'daily' },
  'referral-expired': { roles: ['referral_officer'], default: 'immediate' },
  'access-request-answered': { roles: ['referral_officer'], default: 'immediate' },
  // An unanswered access request lapses too (after 14 days): the holder's officers hear of it at once.
  'access-request-received': { roles: ['referral_officer'], default: 'immediate' },
  // Reminders come weeks ahead (REMINDER_*_DAYS): a morning summary is soon enough.
  'deadline-approaching': { roles: ['referral_officer'], default: 'daily' },
  // Recorded by the client's coach or by the employer (whose staff may be its admins only).
  'follow-up-due': { roles: ['job_coach', 'org_admin'], default: 'daily' },
  'membership-decision': { roles: ['org_admin'], default: 'immediate' },
  'webhook-disabled': { roles: ['org_admin'], default: 'immediate' },
};

export const rolesFor = (kind: NotificationKind): readonly Role[] => AUDIENCE[kind].roles;

/** The person's choice for a kind, or the default for their roles (off when the kind is not for them). */
export function modeFor(
  kind: NotificationKind,
  roles: readonly string[],
  preferences: NotificationPreferences | null,
): DeliveryMode {
  const chosen = preferences?.kinds[kind];
  if (chosen) return chosen;
  return AUDIENCE[kind].roles.some((r) => roles.includes(r)) ? AUDIENCE[kind].default : 'off';
}

/** Every kind with the mode that applies to this person: what the preferences page shows. */
export const effectivePreferences = (
  roles: readonly string[],
  preferences: NotificationPreferences | null,
): { language: NotificationLanguage; kinds: Record<NotificationKind, DeliveryMode> } => ({
  language: preferences?.language ?? 'en',
  kinds: Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, modeFor(k, roles, preferences)])) as Record<
    NotificationKind,
    DeliveryMode
  >,
});

export interface Notice {
  organisationId: string;
  kind: NotificationKind;
  /** An identifier the person can look up (referral id, access request id, organisation id). */
  reference: string;
  /** Console path to open. */
  path: string;
}

const REFERRAL_KINDS: Partial<Record<string, NotificationKind>> = {
  accepted: 'referral-accepted',
  rejected: 'referral-rejected',
  completed: 'referral-completed',
  expired: 'referral-expired',
};
const MEMBERSHIP_DECISIONS = new Set(['approved', 'rejected', 'suspended', 'reinstated']);

/** The notices one public event gives rise to (none for most). */
export function noticesOf(envelope: Pick<EventEnvelope, 'type' | 'data'>): Notice[] {
  const d = (envelope.data ?? {}) as Record<string, unknown>;
  switch (envelope.type) {
    case 'estia.referrals.referral.status-changed.v1': {
      const referralId = String(d.referralId);
      const path = `/referrals/${referralId}`;
      if (d.status === 'requested')
        return [{ organisationId: String(d.toOrganisationId), kind: 'referral-received', reference: referralId, path }];
      const kind = REFERRAL_KINDS[String(d.status)];
      // The sender hears the answer, and that nobody answered in time.
      return kind ? [{ organisationId: String(d.fromOrganisationId), kind, reference: referralId, path }] : [];
    }
    case 'estia.referrals.access-request.status-changed.v1':
      return d.status === 'approved' || d.status === 'declined'
        ? [
            {
              organisationId: String(d.requesterOrganisationId),
              kind: 'access-request-answered',
              reference: String(d.accessRequestId),
              // The sent box shows the answer (and, once approved, opens the client).
              path: '/access-requests?box=outgoing',
            },
          ]
        : [];
    case 'estia.referrals.access-request.received.v1':
      // The holder's view: only the request's id (who asks, and for whom, is in the console).
      return [
        {
          organisationId: String(d.holderOrganisationId),
          kind: 'access-request-received',
          reference: String(d.accessRequestId),
          path: '/access-requests',
        },
      ];
    case 'estia.referrals.deadline.approaching.v1':
      return [
        {
          organisationId: String(d.organisationId),
          kind: 'deadline-approaching',
          reference: String(d.reminderId),
          // The event names no client (topics carry nobody's deadlines); the caseload lists the reminders.
          path: '/caseload#reminders-heading',
        },
      ];
    case 'estia.matching.placement.follow-up-due.v1': {
      const placementId = String(d.placementId);
      // Both sides may record it; an organisation that is both hears of it once.
      return [...new Set([String(d.coachOrganisationId), String(d.employerOrganisationId)])].map((organisationId) => ({
        organisationId,
        kind: 'follow-up-due' as const,
        reference: placementId,
        path: '/coach/pipeline?followUpDue=true',
      }));
    }
    case 'estia.registry.organisation.membership-changed.v1':
      return MEMBERSHIP_DECISIONS.has(String(d.change))
        ? [
            {
              organisationId: String(d.organisationId),
              kind: 'membership-decision',
              reference: String(d.organisationId),
              path: '/',
            },
          ]
        : [];
    default:
      return [];
  }
}
