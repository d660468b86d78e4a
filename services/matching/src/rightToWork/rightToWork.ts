import { addMonths } from '../domain/shared/dates.js';
import type { LegalStatus } from '../domain/candidates/candidateProfile.js';
import type { OpportunityType } from '../domain/shared/vocabulary.js';
import type { RightToWorkDecision, RightToWorkTable, WorkRule } from './rules.js';
import { SAMPLE_RIGHT_TO_WORK_RULES } from './sampleRules.js';

/** A period of access, with the reason; `from`/`until` absent means unbounded on that side. */
export interface RightToWorkWindow {
  allowed: boolean;
  basis: string;
  from?: string;
  until?: string;
}

/**
 * The period in which a person may take up an activity of this type, by the country's rule table.
 * Date-independent, so the matching engine can precompute it per candidate and type and compare days.
 */
export function rightToWorkWindow(
  legal: LegalStatus | null,
  type: OpportunityType,
  table: RightToWorkTable = SAMPLE_RIGHT_TO_WORK_RULES,
): RightToWorkWindow {
  if (!legal) return { allowed: false, basis: 'legal status not recorded' };
  const country = table[legal.country] ?? table['*'];
  if (!country) return { allowed: false, basis: `no right-to-work rules configured for ${legal.country}` };
  const statusRule = country.statuses[legal.status];
  const { rule, basis } = statusRule.byType?.[type] ?? statusRule;
  const byStatus = windowOf(rule, basis, legal);
  // A work permit grants access on its own; it matters when the status alone does not (yet) allow the work.
  const wp = legal.workPermit;
  if (wp && (!byStatus.allowed || (byStatus.from !== undefined && byStatus.from > wp.validFrom)))
    return {
      allowed: true,
      basis: `work permit valid ${wp.validFrom} to ${wp.validUntil}`,
      from: wp.validFrom,
      until: wp.validUntil,
    };
  return byStatus;
}

function windowOf(rule: WorkRule, basis: string, legal: LegalStatus): RightToWorkWindow {
  const permit = legal.residencePermit;
  const until = permit?.validUntil;
  switch (rule.kind) {
    case 'not_allowed':
      return { allowed: false, basis };
    case 'immediate': {
      const from = legal.applicationDate ?? legal.decisionDate ?? permit?.validFrom;
      return { allowed: true, basis, ...(from ? { from } : {}), ...(until ? { until } : {}) };
    }
    case 'after_application':
      if (!legal.applicationDate) return { allowed: false, basis: `${basis}; application date not recorded` };
      return { allowed: true, basis, from: addMonths(legal.applicationDate, rule.months), ...(until ? { until } : {}) };
    case 'while_residence_permit':
      if (!permit) return { allowed: false, basis: `${basis}; no residence permit recorded` };
      return { allowed: true, basis, from: permit.validFrom, until: permit.validUntil };
  }
}

/** Whether the person may take up an activity of this type on `date` (YYYY-MM-DD), and why. */
export function rightToWork(
  legal: LegalStatus | null,
  type: OpportunityType,
  date: string,
  table: RightToWorkTable = SAMPLE_RIGHT_TO_WORK_RULES,
): RightToWorkDecision {
  const w = rightToWorkWindow(legal, type, table);
  const dates = { ...(w.from ? { from: w.from } : {}), ...(w.until ? { until: w.until } : {}) };
  if (!w.allowed) return { allowed: false, basis: w.basis, ...dates };
  if (w.from !== undefined && date < w.from)
    return { allowed: false, basis: `${w.basis}; not before ${w.from}`, ...dates };
  if (w.until !== undefined && date > w.until)
    return { allowed: false, basis: `${w.basis}; expired on ${w.until}`, ...dates };
  return { allowed: true, basis: w.basis, ...dates };
}
