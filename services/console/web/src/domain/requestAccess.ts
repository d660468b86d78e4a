import { idempotencyKey, referrals, unwrap } from '../api/clients.js';
import type { DuplicateAnswer } from './duplicates.js';

/** What an officer taking over care of a person asks to see; the holder may approve less. */
const CONTINUITY_SCOPE = ['legal_status', 'languages', 'needs', 'case_history'] as const;

/**
 * The registration screen's way out of a duplicate answer. Within the officer's own caseload the API
 * names the case: open it. Held by another member, the API names nothing and hands a short-lived token:
 * send an access request with it; the case opens once the holder approves (null until then).
 */
export const requestAccess = async (answer: DuplicateAnswer): Promise<{ clientId: string } | null> => {
  const own = answer.candidates[0];
  if (own) return { clientId: own.clientId };
  if (!answer.accessToken) return null;
  await unwrap(
    referrals.POST('/v1/access-requests', {
      params: { header: { 'Idempotency-Key': idempotencyKey() } },
      body: { token: answer.accessToken, purpose: 'continuity_of_care', scope: [...CONTINUITY_SCOPE] },
    }),
  );
  return null;
};
