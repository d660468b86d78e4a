import { createHmac, randomBytes } from 'node:crypto';
import type { Principal } from '@estia/infra/auth/principal.js';
import { requireAuth } from '@estia/infra/auth/requireAuth.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { CandidateView, MatchingQueries } from '../application/queries.js';

/** Each operation's scope, as contracts/openapi/matching.json declares it in its security. */
export const READ_SCOPE = 'matching:read';
export const WRITE_SCOPE = 'matching:write';
/** Reads: job coaches, organisation admins and auditors, with the read scope. */
export const readers = requireAuth({ roles: ['job_coach', 'org_admin', 'auditor'], scopes: [READ_SCOPE] });
/** Writes: job coaches and organisation admins, with the write scope. */
export const writers = requireAuth({ roles: ['job_coach', 'org_admin'], scopes: [WRITE_SCOPE] });

/** Opportunities have scopes of their own in the contract (a partner system may publish without matching). */
export const opportunityReaders = requireAuth({
  roles: ['job_coach', 'org_admin', 'auditor'],
  scopes: ['opportunities:read'],
});
export const opportunityWriters = requireAuth({ roles: ['job_coach', 'org_admin'], scopes: ['opportunities:write'] });

export const isAuditor = (p: Principal): boolean => p.roles.includes('auditor');

/** Job coaches and referral officers work cases; an organisation admin alone reads no case file and acts on none. */
export const worksCases = (p: Principal): boolean =>
  p.roles.includes('job_coach') || p.roles.includes('referral_officer');

/** Writers: people of approved member organisations (the registry's mayExchange), never auditors alone. */
export async function requireMember(queries: MatchingQueries, p: Principal, now: Date) {
  const org = await queries.organisation(p.organisationId, now.toISOString());
  if (!org?.mayExchange)
    throw new AppError('FORBIDDEN', 'only approved member organisations (code of conduct accepted) may do this');
  return org;
}

/** The organisations that hold the client's case for matching: the one that recorded consent or shared the profile. */
export const holdsCandidate = (p: Principal, c: CandidateView): boolean =>
  c.sharedByOrganisationId === p.organisationId || c.consentOrganisationId === p.organisationId;

/**
 * Pseudonyms for clients seen by organisations that do not hold their case (employers above all): stable per
 * viewing organisation, so two employers cannot link what they saw. The key lives in the service's own
 * database, created once, so pseudonyms survive restarts.
 */
export async function createPseudonymiser(
  db: SqlDatabase,
): Promise<(viewerOrganisationId: string, clientId: string) => string> {
  await db.execute('INSERT INTO matching_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    'pseudonym-key',
    randomBytes(32).toString('base64url'),
  ]);
  const [row] = await db.query<{ value: string }>('SELECT value FROM matching_settings WHERE name = $1', [
    'pseudonym-key',
  ]);
  const key = Buffer.from(row!.value, 'base64url');
  return (viewer, clientId) =>
    `cand-${createHmac('sha256', key).update(`${viewer}\n${clientId}`).digest('base64url').slice(0, 22)}`;
}
