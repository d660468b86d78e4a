import { describe, expect, it } from 'vitest';
import { MESSAGES, renderMail } from './messages.js';
import {
  effectivePreferences,
  modeFor,
  noticesOf,
  NOTIFICATION_KINDS,
  NOTIFICATION_LANGUAGES,
} from './notificationRules.js';

const referral = (status: string) => ({
  type: 'estia.referrals.referral.status-changed.v1',
  data: { referralId: 'r-1', fromOrganisationId: 'a', toOrganisationId: 'b', status },
});

describe('who is told what by e-mail', () => {
  it('a new referral: the receiver; an answer or an expiry: the sender', () => {
    expect(noticesOf(referral('requested'))).toEqual([
      { organisationId: 'b', kind: 'referral-received', reference: 'r-1', path: '/referrals/r-1' },
    ]);
    expect(noticesOf(referral('expired'))).toEqual([
      { organisationId: 'a', kind: 'referral-expired', reference: 'r-1', path: '/referrals/r-1' },
    ]);
    expect(noticesOf(referral('in-progress'))).toEqual([]);
  });
  it("a new access request: the holder's officers, by the request's id only; the answer: the requester", () => {
    expect(
      noticesOf({
        type: 'estia.referrals.access-request.received.v1',
        data: { accessRequestId: 'ar-1', holderOrganisationId: 'h', receivedAt: '2026-03-02T10:00:00Z' },
      }),
    ).toEqual([{ organisationId: 'h', kind: 'access-request-received', reference: 'ar-1', path: '/access-requests' }]);
    expect(
      noticesOf({
        type: 'estia.referrals.access-request.status-changed.v1',
        data: { accessRequestId: 'ar-1', requesterOrganisationId: 'r', status: 'declined' },
      }),
    ).toEqual([
      {
        organisationId: 'r',
        kind: 'access-request-answered',
        reference: 'ar-1',
        path: '/access-requests?box=outgoing',
      },
    ]);
    expect(modeFor('access-request-received', ['referral_officer'], null)).toBe('immediate');
  });
  it('a deadline near: the holding organisation, by reminder id; a follow-up due: coach and employer, once each', () => {
    expect(
      noticesOf({
        type: 'estia.referrals.deadline.approaching.v1',
        data: { reminderId: 'rm-1', organisationId: 'h', deadline: 'work_permit', issuedAt: '2026-03-02T10:00:00Z' },
      }),
    ).toEqual([
      { organisationId: 'h', kind: 'deadline-approaching', reference: 'rm-1', path: '/caseload#reminders-heading' },
    ]);
    const due = (coach: string, employer: string) =>
      noticesOf({
        type: 'estia.matching.placement.follow-up-due.v1',
        data: { placementId: 'p-1', coachOrganisationId: coach, employerOrganisationId: employer, monthsAfterStart: 3 },
      });
    expect(due('c', 'e').map((n) => [n.organisationId, n.kind, n.reference, n.path])).toEqual([
      ['c', 'follow-up-due', 'p-1', '/coach/pipeline?followUpDue=true'],
      ['e', 'follow-up-due', 'p-1', '/coach/pipeline?followUpDue=true'],
    ]);
    expect(due('c', 'c')).toHaveLength(1);
    expect(modeFor('deadline-approaching', ['referral_officer'], null)).toBe('daily');
    expect(modeFor('follow-up-due', ['job_coach'], null)).toBe('daily');
    expect(modeFor('follow-up-due', ['referral_officer'], null)).toBe('off');
  });
  it('membership decisions go to the organisation; an application is no decision', () => {
    const membership = (change: string) => ({
      type: 'estia.registry.organisation.membership-changed.v1',
      data: { organisationId: 'o', change },
    });
    expect(noticesOf(membership('approved')).map((n) => n.kind)).toEqual(['membership-decision']);
    expect(noticesOf(membership('applied'))).toEqual([]);
  });
  it('officers get new referrals immediately by default; a choice overrides; kinds not for a role are off', () => {
    expect(modeFor('referral-received', ['referral_officer'], null)).toBe('immediate');
    expect(modeFor('referral-received', ['job_coach'], null)).toBe('off');
    expect(
      modeFor('referral-received', ['referral_officer'], { language: 'en', kinds: { 'referral-received': 'daily' } }),
    ).toBe('daily');
    expect(effectivePreferences(['org_admin'], null).kinds['webhook-disabled']).toBe('immediate');
  });
  it('every kind has words in all six languages, and a message carries only the reference and the link', () => {
    for (const language of NOTIFICATION_LANGUAGES)
      for (const kind of NOTIFICATION_KINDS) {
        expect(MESSAGES[language].subjects[kind], `${language} ${kind}`).toBeTruthy();
        expect(MESSAGES[language].lines[kind], `${language} ${kind}`).toBeTruthy();
      }
    const mail = renderMail(
      'en',
      [{ kind: 'referral-received', reference: 'r-1', link: 'https://c/referrals/r-1' }],
      false,
    );
    expect(mail.subject).toBe('ESTIA: New referral for your organisation');
    expect(mail.text).toContain('Reference: r-1');
    expect(mail.text).toContain('Open in the console: https://c/referrals/r-1');
  });
});
