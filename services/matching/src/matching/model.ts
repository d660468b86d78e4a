import type { CandidateProfileData, LegalStatus } from '../domain/candidates/candidateProfile.js';
import type { OpportunityDetails, OpportunityStatus } from '../domain/opportunities/opportunity.js';

/** An opportunity as the matching read model holds it (from the opportunity stream). */
export interface MatchableOpportunity {
  id: string;
  status: OpportunityStatus;
  details: OpportunityDetails;
}

/** A consenting client's profile and legal status (from the candidate stream). */
export interface MatchableCandidate {
  id: string;
  legalStatus: LegalStatus | null;
  profile: CandidateProfileData;
  /**
   * false when the consent to job matching does not share the dates of the legal status (permits,
   * application): a right to work that needs them is then unknown, not refused. Default true.
   */
  datesShared?: boolean;
}
