import { dateOf } from '../domain/shared/dates.js';
import { rightToWork } from '../rightToWork/rightToWork.js';
import { hardRuleReasons } from '../matching/hardFilters.js';
import type { MatchEngine } from '../matching/matchEngine.js';
import type { MatchResult } from '../matching/explain.js';
import type { MatchableCandidate, MatchableOpportunity } from '../matching/model.js';
import type { MatchReason } from '../matching/reasons.js';
import { LEGAL_STATUS_DATES } from '../readModels/engineSync.js';
import type { CandidateView, OpportunityView } from './queries.js';

/** The candidate as the engine matches it, or null when there is nothing to match on yet. */
export const matchableOf = (view: CandidateView): MatchableCandidate | null =>
  view.profile === null
    ? null
    : {
        id: view.clientId,
        legalStatus: view.legalStatus,
        profile: view.profile,
        datesShared: view.consentScope.includes(LEGAL_STATUS_DATES),
      };

/**
 * What keeps a candidate's whole list empty or short, said once at the top of the list: no profile shared,
 * no legal status, or a consent that leaves out the dates the right to work depends on.
 */
export function candidateNotices(view: CandidateView, asOf: string, engine: MatchEngine): MatchReason[] {
  if (view.profile === null)
    return [
      {
        code: 'not_matchable',
        effect: 'excludes',
        detail: 'no candidate profile has been shared for job matching yet (or it has no location)',
        pointer: '/candidate/profile',
      },
    ];
  const notices: MatchReason[] = [];
  const rtw = rightToWork(view.legalStatus, 'job', dateOf(asOf), engine.rules);
  if (!rtw.allowed && !view.consentScope.includes(LEGAL_STATUS_DATES))
    notices.push({
      code: 'right_to_work_unknown',
      effect: 'excludes',
      detail:
        `the right to work cannot be established: the client's consent to job matching does not share the dates ` +
        `of the legal status (${LEGAL_STATUS_DATES}), so paid work is not matched (${rtw.basis})`,
      pointer: '/candidate/consent/scope',
    });
  else if (!rtw.allowed)
    notices.push({
      code: 'no_right_to_work',
      effect: 'excludes',
      detail: `no right to take up paid work today: ${rtw.basis}`,
      pointer: '/candidate/legalStatus',
    });
  return notices;
}

export interface PairAssessment {
  listed: boolean;
  reasons: MatchReason[];
  match: MatchResult | null;
}

/**
 * Why a candidate and an opportunity are (not) matched: every hard rule that keeps them apart (from the
 * records, with the field each looks at), then — when none does — the engine's explained match, whether it
 * clears the score floor, and what lowered it.
 */
export function assessPair(
  view: CandidateView,
  opportunity: OpportunityView,
  asOf: string,
  engine: MatchEngine,
): PairAssessment {
  const candidate = matchableOf(view);
  if (!candidate) return { listed: false, reasons: candidateNotices(view, asOf, engine), match: null };
  const o: MatchableOpportunity = { id: opportunity.id, status: opportunity.status, details: opportunity.details };
  const reasons = hardRuleReasons(candidate, o, asOf, engine.rules, engine.tuning);
  const verdict = reasons.length === 0 ? engine.explainPair(candidate.id, o.id, asOf) : null;
  const match = verdict?.match ?? null;
  if (match && match.score < engine.tuning.scoreFloor)
    reasons.push({
      code: 'below_score_floor',
      effect: 'excludes',
      detail: `score ${match.score} is below the floor of ${engine.tuning.scoreFloor}: too weak a fit to list`,
      pointer: '/opportunity/occupation',
    });
  if (match) reasons.push(...match.reasons);
  return { listed: reasons.every((r) => r.effect !== 'excludes') && match !== null, reasons, match };
}
