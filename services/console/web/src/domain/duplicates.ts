import { isApiError } from '../api/problems.js';

export interface DuplicateAnswer {
  /** Cases the network found likely to be this person, best first (empty when the API names none). */
  candidates: { clientId: string; score?: number }[];
  /** Held by another member: the opaque token an access request needs (the API names no case). */
  accessToken?: string;
}

/**
 * "This person may already be known in the network": the referrals API refuses a registration that
 * matches an existing case (422). Today it lists the candidates; an answer that names none is handled
 * the same way, so the access-request flow can replace the candidates without another screen.
 */
export const duplicateAnswerOf = (error: unknown): DuplicateAnswer | null => {
  if (!isApiError(error) || error.status !== 422) return null;
  const problem = error.problem as Record<string, unknown>;
  const candidates = Array.isArray(problem.candidates)
    ? (problem.candidates as { clientId: string; score?: number }[])
    : [];
  const named =
    candidates.length > 0 || /duplicate|already (be )?known/i.test(`${problem.type ?? ''} ${problem.detail ?? ''}`);
  const accessRequest = problem.accessRequest as { token?: unknown } | undefined;
  const accessToken = typeof accessRequest?.token === 'string' ? accessRequest.token : undefined;
  if (!named && accessToken === undefined) return null;
  return {
    candidates: [...candidates].sort((a, b) => (b.score ?? 0) - (a.score ?? 0)),
    ...(accessToken === undefined ? {} : { accessToken }),
  };
};
