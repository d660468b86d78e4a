import type { SqlExecutor } from '@estia/infra/sql/types.js';

/**
 * Finding people through their blind indexes (rf_client_terms holds HMACs, never a name or a date).
 * Every term here is already blinded by the caller; these queries only compare equal strings.
 */

const placeholders = (from: number, count: number): string =>
  Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

/**
 * The clients of an organisation's caseload: those it registered, and those whose holder approved its
 * access request (while the consent recorded then is in force). As a SQL fragment over $1 = the
 * organisation, $2 = now.
 */
const CASELOAD = `SELECT client_id, 'registered' AS basis FROM rf_client_orgs WHERE organisation_id = $1
  UNION SELECT client_id, 'access_request' AS basis FROM rf_access_requests WHERE requester_org = $1
    AND status = 'approved' AND (consent_expires_at IS NULL OR consent_expires_at > $2)`;

/**
 * Active clients born within a year of the subject who share a name term with them, most shared terms
 * first (the exact date of birth counts as one more), at most `limit`.
 */
export async function duplicateCandidateIds(
  db: SqlExecutor,
  probe: { years: string[]; names: string[]; dateOfBirth: string },
  limit: number,
): Promise<string[]> {
  if (probe.names.length === 0) return [];
  const ranked = [...probe.names, probe.dateOfBirth];
  const params: unknown[] = [...ranked, ...probe.years, limit];
  const rows = await db.query<{ client_id: string }>(
    `SELECT t.client_id, COUNT(*) AS hits FROM rf_client_terms t
     JOIN rf_clients c ON c.client_id = t.client_id AND c.status = 'active'
     WHERE t.term IN (${placeholders(1, ranked.length)})
       AND t.client_id IN (SELECT client_id FROM rf_client_terms WHERE term IN (${placeholders(ranked.length + 1, probe.years.length)}))
     GROUP BY t.client_id ORDER BY hits DESC, t.client_id LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => r.client_id);
}

/**
 * `count` active clients other than `exclude`, from a random point of the id space: duplicate detection
 * opens these too, so that it does the same work whether or not anyone matched.
 */
export async function decoyClientIds(
  db: SqlExecutor,
  pivot: string,
  exclude: readonly string[],
  count: number,
): Promise<string[]> {
  if (count <= 0) return [];
  const wanted = count + exclude.length;
  const after = await db.query<{ client_id: string }>(
    `SELECT client_id FROM rf_clients WHERE status = 'active' AND client_id >= $1 ORDER BY client_id LIMIT $2`,
    [pivot, wanted],
  );
  const before =
    after.length >= wanted
      ? []
      : await db.query<{ client_id: string }>(
          `SELECT client_id FROM rf_clients WHERE status = 'active' AND client_id < $1 ORDER BY client_id LIMIT $2`,
          [pivot, wanted - after.length],
        );
  return [...after, ...before]
    .map((r) => r.client_id)
    .filter((id) => !exclude.includes(id))
    .slice(0, count);
}

/** Which of `clientIds` are in the organisation's caseload (one query, whatever the answer). */
export async function inCaseload(
  db: SqlExecutor,
  organisationId: string,
  clientIds: readonly string[],
  now: string,
): Promise<Set<string>> {
  if (clientIds.length === 0) return new Set();
  const rows = await db.query<{ client_id: string }>(
    `SELECT client_id FROM (${CASELOAD}) caseload WHERE client_id IN (${placeholders(3, clientIds.length)})`,
    [organisationId, now, ...clientIds],
  );
  return new Set(rows.map((r) => r.client_id));
}

/**
 * One page of an organisation's caseload, in client-id order (keyset: `after` is the last id of the
 * previous page). `allOf`: every group must match one of the client's terms (empty = the whole caseload).
 */
export async function caseloadPage(
  db: SqlExecutor,
  organisationId: string,
  now: string,
  allOf: readonly (readonly string[])[],
  page: { limit: number; after?: string },
): Promise<{ items: { clientId: string; basis: 'registered' | 'access_request' }[]; next: string | null }> {
  const params: unknown[] = [organisationId, now];
  let where = "k.status = 'active'";
  if (page.after !== undefined) {
    params.push(page.after);
    where += ` AND c.client_id > $${params.length}`;
  }
  for (const group of allOf) {
    where += ` AND c.client_id IN (SELECT client_id FROM rf_client_terms WHERE term IN (${placeholders(params.length + 1, group.length)}))`;
    params.push(...group);
  }
  params.push(page.limit + 1);
  const rows = await db.query<{ client_id: string; basis: 'registered' | 'access_request' }>(
    `SELECT c.client_id, c.basis FROM (${CASELOAD}) c JOIN rf_clients k ON k.client_id = c.client_id
     WHERE ${where} ORDER BY c.client_id LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, page.limit).map((r) => ({ clientId: r.client_id, basis: r.basis }));
  return { items, next: rows.length > page.limit ? items.at(-1)!.clientId : null };
}
