import type { CountryRules, RightToWorkTable, StatusRule } from './rules.js';

// SAMPLE RULES (configurable, not legal advice). Waiting periods are plausible readings of national law as
// commonly summarised (e.g. AIDA country reports); a deployment must have them checked and replace this table.

const permit = (label: string): StatusRule => ({
  rule: { kind: 'while_residence_permit' },
  basis: `${label}: access to employment while the residence permit is valid`,
});

const mentoring = {
  rule: { kind: 'immediate' },
  basis: 'mentoring is not employment: open to everyone lawfully present',
} as const;

const common = (country: string): Omit<CountryRules['statuses'], 'asylum_seeker'> => ({
  refugee: { ...permit('recognised refugee'), byType: { mentoring } },
  subsidiary_protection: { ...permit('subsidiary protection'), byType: { mentoring } },
  resettled: { ...permit('resettled refugee'), byType: { mentoring } },
  humanitarian_admission: { ...permit('humanitarian admission'), byType: { mentoring } },
  other: {
    rule: { kind: 'not_allowed' },
    basis: `no status-based access to employment in ${country}: a valid work permit is needed`,
    byType: { mentoring },
  },
});

const asylumSeeker = (months: number, reference: string, unpaidEarly: boolean): StatusRule => ({
  rule: { kind: 'after_application', months },
  basis: `asylum seeker: access to employment ${months} months after the application was lodged (${reference})`,
  byType: {
    mentoring,
    ...(unpaidEarly
      ? {
          volunteering: {
            rule: { kind: 'immediate' },
            basis: `asylum seeker: unpaid volunteering allowed from the application (${reference})`,
          },
          traineeship: {
            rule: { kind: 'immediate' },
            basis: `asylum seeker: vocational training allowed from the application (${reference})`,
          },
        }
      : {}),
  },
});

export const SAMPLE_RIGHT_TO_WORK_RULES: RightToWorkTable = {
  GR: {
    country: 'GR',
    reviewed: false,
    note: 'Sample: asylum seekers 6 months after lodging without a first-instance decision (Greek asylum code, L. 4939/2022).',
    statuses: { asylum_seeker: asylumSeeker(6, 'GR sample rule', true), ...common('GR') },
  },
  DE: {
    country: 'DE',
    reviewed: false,
    note: 'Sample: asylum seekers 3 months after lodging, subject to the foreigners authority (§ 61 AsylG).',
    statuses: { asylum_seeker: asylumSeeker(3, 'DE sample rule', true), ...common('DE') },
  },
  IT: {
    country: 'IT',
    reviewed: false,
    note: 'Sample: asylum seekers 60 days after lodging (d.lgs. 142/2015), rounded to 2 months.',
    statuses: { asylum_seeker: asylumSeeker(2, 'IT sample rule', true), ...common('IT') },
  },
  ES: {
    country: 'ES',
    reviewed: false,
    note: 'Sample: asylum seekers 6 months after lodging.',
    statuses: { asylum_seeker: asylumSeeker(6, 'ES sample rule', false), ...common('ES') },
  },
  FR: {
    country: 'FR',
    reviewed: false,
    note: 'Sample: asylum seekers 6 months after lodging, with an authorisation.',
    statuses: { asylum_seeker: asylumSeeker(6, 'FR sample rule', false), ...common('FR') },
  },
  // Fallback for countries without their own table: the EU ceiling of the recast Reception Conditions
  // Directive (EU) 2024/1346, art. 17 (at most 6 months after lodging), applicable from 12 June 2026.
  '*': {
    country: '*',
    reviewed: false,
    note: 'Sample EU fallback: at most 6 months after lodging (Directive (EU) 2024/1346 art. 17).',
    statuses: { asylum_seeker: asylumSeeker(6, 'EU fallback sample rule', false), ...common('this country') },
  },
};
