import { describe, expect, it } from 'vitest';
import type { LegalStatus } from '../domain/candidates/candidateProfile.js';
import { rightToWork, rightToWorkWindow } from './rightToWork.js';
import type { RightToWorkTable } from './rules.js';
import { SAMPLE_RIGHT_TO_WORK_RULES } from './sampleRules.js';

const asylumSeekerGR: LegalStatus = {
  status: 'asylum_seeker',
  country: 'GR',
  applicationDate: '2026-03-15',
  residencePermit: { validFrom: '2026-03-15', validUntil: '2027-03-14' },
};

describe('right to work (sample rules)', () => {
  it('lets an asylum seeker in Greece work 6 months after the application, not before', () => {
    expect(rightToWork(asylumSeekerGR, 'job', '2026-09-14')).toMatchObject({ allowed: false, from: '2026-09-15' });
    expect(rightToWork(asylumSeekerGR, 'job', '2026-09-15')).toEqual({
      allowed: true,
      basis: 'asylum seeker: access to employment 6 months after the application was lodged (GR sample rule)',
      from: '2026-09-15',
      until: '2027-03-14',
    });
  });

  it('allows unpaid volunteering and mentoring earlier where the rule says so', () => {
    expect(rightToWork(asylumSeekerGR, 'volunteering', '2026-04-01').allowed).toBe(true);
    expect(rightToWork(asylumSeekerGR, 'mentoring', '2026-04-01').allowed).toBe(true);
    expect(rightToWork({ ...asylumSeekerGR, country: 'FR' }, 'volunteering', '2026-04-01').allowed).toBe(false);
  });

  it('ends with the permit: a recognised refugee works while the residence permit is valid', () => {
    const refugee: LegalStatus = {
      status: 'refugee',
      country: 'GR',
      residencePermit: { validFrom: '2024-01-01', validUntil: '2026-12-31' },
    };
    expect(rightToWork(refugee, 'job', '2026-12-31')).toMatchObject({ allowed: true, until: '2026-12-31' });
    expect(rightToWork(refugee, 'job', '2027-01-01')).toMatchObject({
      allowed: false,
      basis: expect.stringMatching(/expired on 2026-12-31/),
    });
    expect(rightToWork({ ...refugee, residencePermit: undefined }, 'job', '2026-06-01')).toMatchObject({
      allowed: false,
      basis: expect.stringMatching(/no residence permit/),
    });
  });

  it('lets a work permit grant access that the status alone does not', () => {
    const other: LegalStatus = {
      status: 'other',
      country: 'DE',
      workPermit: { validFrom: '2026-01-01', validUntil: '2026-06-30' },
    };
    expect(rightToWork(other, 'job', '2026-03-01')).toMatchObject({
      allowed: true,
      basis: 'work permit valid 2026-01-01 to 2026-06-30',
    });
    expect(rightToWork({ ...other, workPermit: undefined }, 'job', '2026-03-01').allowed).toBe(false);
  });

  it('falls back to the EU rule for a country without its own table, and refuses without a legal status', () => {
    expect(rightToWorkWindow({ ...asylumSeekerGR, country: 'PT' }, 'job').basis).toMatch(/EU fallback/);
    expect(rightToWork(null, 'job', '2026-01-01')).toEqual({ allowed: false, basis: 'legal status not recorded' });
  });

  it('is configurable: a deployment supplies its own table', () => {
    const table: RightToWorkTable = {
      GR: {
        ...SAMPLE_RIGHT_TO_WORK_RULES.GR!,
        statuses: {
          ...SAMPLE_RIGHT_TO_WORK_RULES.GR!.statuses,
          asylum_seeker: { rule: { kind: 'after_application', months: 2 }, basis: 'reviewed rule' },
        },
      },
    };
    expect(rightToWork(asylumSeekerGR, 'job', '2026-05-15', table)).toMatchObject({
      allowed: true,
      basis: 'reviewed rule',
    });
  });
});
