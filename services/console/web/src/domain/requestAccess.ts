import { referrals, unwrap } from '../api/clients.js';
import type { PersonalData } from '../api/queries.js';
import type { DuplicateAnswer } from './duplicates.js';

/**
 * Asks for access to a case the network already holds for this person. The one place the registration
 * screen depends on how that works: today the referrals API links the officer's organisation to the
 * matching case when the data they hold matches it; an access request approved by the holder replaces it.
 * Resolves with the case to open, or null when access must wait for the holder.
 */
export const requestAccess = async (
  answer: DuplicateAnswer,
  personal: PersonalData,
): Promise<{ clientId: string } | null> => {
  const best = answer.candidates[0];
  if (!best) return null;
  await unwrap(
    referrals.POST('/v1/clients/{clientId}/links', {
      params: { path: { clientId: best.clientId } },
      body: { personal },
    }),
  );
  return { clientId: best.clientId };
};
