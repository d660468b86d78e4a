import { describe, expect, it } from 'vitest';
import { ApiError, fieldErrorsOf, normalisePointer, unclaimedErrors } from '../../web/src/api/problems.js';
import { consentInForce, referralCoverage, type ConsentLike } from '../../web/src/domain/consentCoverage.js';
import { duplicateAnswerOf } from '../../web/src/domain/duplicates.js';

const problem = (status: number, extra: Record<string, unknown> = {}) =>
  new ApiError({ type: 'https://estia.network/problems/x', title: 'x', status, ...extra } as never);

describe('API errors next to their fields', () => {
  it('maps the pointers services use to the pointers of the body the form sent', () => {
    expect(normalisePointer('/body/personal/givenNames')).toBe('/personal/givenNames');
    expect(normalisePointer('/personal/languages/0/level')).toBe('/personal/languages/0/level');
    expect(normalisePointer('/querystring/region')).toBe('/region');
    expect(normalisePointer('/body')).toBe('/');
  });

  it('groups the details by field and keeps what no field claims for the summary', () => {
    const error = problem(400, {
      errors: [
        { pointer: '/body/personal/familyName', detail: 'must not be empty' },
        { pointer: '/body/personal/familyName', detail: 'is too long' },
        { pointer: '/body/personal/otherNames/0', detail: 'must not be empty' },
      ],
    });
    const errors = fieldErrorsOf(error);
    expect(errors.get('/personal/familyName')).toEqual(['must not be empty', 'is too long']);
    expect(unclaimedErrors(errors, ['/personal/familyName'])).toEqual([
      { pointer: '/personal/otherNames/0', detail: 'must not be empty' },
    ]);
    expect(fieldErrorsOf(new Error('not from the API')).size).toBe(0);
  });
});

describe('"this person may already be known in the network"', () => {
  it('reads a 422 with candidates, best first, and a 422 that names none', () => {
    const withCandidates = problem(422, {
      detail: '2 likely duplicate(s) found',
      candidates: [
        { clientId: 'a', score: 0.8 },
        { clientId: 'b', score: 0.95 },
      ],
    });
    expect(duplicateAnswerOf(withCandidates)?.candidates.map((c) => c.clientId)).toEqual(['b', 'a']);
    expect(duplicateAnswerOf(problem(422, { detail: 'This person may already be known in the network' }))).toEqual({
      candidates: [],
    });
    expect(duplicateAnswerOf(problem(422, { detail: 'consent_required' }))).toBeNull();
    expect(duplicateAnswerOf(problem(400, { candidates: [{ clientId: 'a' }] }))).toBeNull();
  });
});

describe('consent checked in place', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  const consent = (over: Partial<ConsentLike>): ConsentLike => ({
    consentId: 'c1',
    purpose: 'referral',
    recipient: { organisationId: 'org-b' },
    scope: ['legal_status', 'languages', 'needs'],
    givenAt: '2026-05-01T00:00:00Z',
    withdrawnAt: null,
    expiresAt: null,
    ...over,
  });
  const receiver = { organisationId: 'org-b', category: 'legal' };

  it('covers a receiver named by organisation or by category, for every scope shared', () => {
    expect(referralCoverage([consent({})], receiver, ['languages', 'needs'], now).covered).toBe(true);
    expect(
      referralCoverage([consent({ recipient: { serviceCategory: 'legal' } })], receiver, ['needs'], now).covered,
    ).toBe(true);
  });

  it('names what is missing, and ignores withdrawn, expired, future, other-purpose and narrower consents', () => {
    const missing = referralCoverage([consent({})], receiver, ['needs', 'contact_details'], now);
    expect(missing).toMatchObject({ covered: false, missing: ['contact_details'] });
    for (const other of [
      consent({ withdrawnAt: '2026-05-20T00:00:00Z' }),
      consent({ expiresAt: '2026-05-31T00:00:00Z' }),
      consent({ givenAt: '2026-07-01T00:00:00Z' }),
      consent({ purpose: 'job_matching' }),
      consent({ recipient: { organisationId: 'org-b', serviceCategory: 'housing' } }),
      consent({ recipient: { organisationId: 'org-c' } }),
    ])
      expect(referralCoverage([other], receiver, ['needs'], now).covered).toBe(false);
    expect(consentInForce(consent({ withdrawnAt: '2026-06-01T12:00:01Z' }), now)).toBe(true);
  });
});
