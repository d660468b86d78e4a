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
