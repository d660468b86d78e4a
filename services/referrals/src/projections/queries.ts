import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { openPersonalPart } from '../application/personalCodec.js';
import type { Consent } from '../domain/consent/consent.js';
import type { ReferralStatus } from '../domain/referrals/referralTypes.js';
import { placementsOf } from '../placements/placementQueries.js';

export interface ReferralRow {
  referralId: string;
  clientId: string;
  senderOrganisationId: string;
  receiverOrganisationId: string;
  serviceId: string | null;
  category: string;
  status: ReferralStatus;
  requestedAt: string;
  respondBy: string;
  updatedAt: string;
  reasonCode: string | null;
  outcome: string | null;
  consentOverridden: boolean;
  forwardedFrom: string | null;
}

interface RawReferral {
  referral_id: string;
  client_id: string;
  sender_org: string;
  receiver_org: string;
  service_id: string | null;
  category: string;
  status: ReferralStatus;
  requested_at: string;
  respond_by: string;
  updated_at: string;
  reason_code: string | null;
  outcome: string | null;
  consent_overridden: number | boolean;
  forwarded_from: string | null;
}

const REFERRAL_COLUMNS = `referral_id, client_id, sender_org, receiver_org, service_id, category, status, requested_at,
  respond_by, updated_at, reason_code, outcome, consent_overridden, forwarded_from`;

const toReferral = (r: RawReferral): ReferralRow => ({
  referralId: r.referral_id,
  clientId: r.client_id,
  senderOrganisationId: r.sender_org,
  receiverOrganisationId: r.receiver_org,
  serviceId: r.service_id,
  category: r.category,
  status: r.status,
  requestedAt: r.requested_at,
  respondBy: r.respond_by,
  updatedAt: r.updated_at,
  reasonCode: r.reason_code,
  outcome: r.outcome,
  consentOverridden: Number(r.consent_overridden) === 1,
  forwardedFrom: r.forwarded_from,
});

/** Lists are pages: 50 rows unless asked, never more than 200 (an officer's screen, not an export). */
export const PAGE_SIZE = { default: 50, max: 200 } as const;

/** Keyset position: the sort key and the id of the last row of the previous page. */
export interface PageCursor {
  at: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  /** Where the next page starts; null on the last page. */
  next: PageCursor | null;
}

export interface PageRequest {
  limit?: number;
  after?: PageCursor;
}

const pageLimit = (limit: number | undefined): number =>
  Math.min(PAGE_SIZE.max, Math.max(1, Math.trunc(limit ?? PAGE_SIZE.default)));

/** Rows were fetched with one extra: its presence says there is a next page. */
const toPage = (rows: RawReferral[], limit: number, key: (r: RawReferral) => string): Page<ReferralRow> => {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(toReferral),
    next: rows.length > limit && last ? { at: key(last), id: last.referral_id } : null,
  };
};

const box = async (
  db: SqlExecutor,
  column: 'receiver_org' | 'sender_org',
  organisationId: string,
  options: { status?: ReferralStatus } & PageRequest,
): Promise<Page<ReferralRow>> => {
  const limit = pageLimit(options.limit);
  const params: unknown[] = [organisationId];
  let where = `${column} = $1`;
  if (options.status) {
    params.push(options.status);
    where += ` AND status = $${params.length}`;
  }
  // Keyset on the sort key (requested_at, referral_id), both descending so the (org, [status,]
  // requested_at, referral_id) index answers it backwards: a page costs the same however deep.
  if (options.after) {
    params.push(options.after.at, options.after.id);
    where += ` AND (requested_at, referral_id) < ($${params.length - 1}, $${params.length})`;
  }
  params.push(limit + 1);
  const rows = await db.query<RawReferral>(
    `SELECT ${REFERRAL_COLUMNS} FROM rf_referrals WHERE ${where}
     ORDER BY requested_at DESC, referral_id DESC LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, limit, (r) => r.requested_at);
};

/** Referrals an organisation received, newest first, optionally of one status; one page. */
export const inbox = (
  db: SqlExecutor,
  organisationId: string,
  options: { status?: ReferralStatus } & PageRequest = {},
) => box(db, 'receiver_org', organisationId, options);

/** Referrals an organisation sent, newest first, optionally of one status; one page. */
export const outbox = (
  db: SqlExecutor,
  organisationId: string,
  options: { status?: ReferralStatus } & PageRequest = {},
) => box(db, 'sender_org', organisationId, options);

/** The officers' overdue view of one side, most overdue first; one page (keyset on respond_by). */
export async function overduePage(
  db: SqlExecutor,
  now: string,
  organisationId: string,
  side: 'receiver' | 'sender',
  page: PageRequest = {},
): Promise<Page<ReferralRow>> {
  const limit = pageLimit(page.limit);
  const column = side === 'receiver' ? 'receiver_org' : 'sender_org';
  const after = page.after ? ' AND (respond_by, referral_id) > ($3, $4)' : '';
  const params: unknown[] = page.after ? [organisationId, now, page.after.at, page.after.id] : [organisationId, now];
  params.push(limit + 1);
  const rows = await db.query<RawReferral>(
    `SELECT ${REFERRAL_COLUMNS} FROM rf_referrals WHERE ${column} = $1 AND status = 'requested' AND respond_by <= $2
     ${after} ORDER BY respond_by, referral_id LIMIT $${params.length}`,
    params,
  );
  return toPage(rows, limit, (r) => r.respond_by);
}

/**
 * Unanswered referrals past their response time: what the expiry scheduler issues ExpireReferral for,
 * and the officers' overdue view (one side at a time, so the (org, status, respond_by) index answers it).
 */
export async function overdueReferrals(
  db: SqlExecutor,
  now: string,
  options: { organisationId?: string; side?: 'receiver' | 'sender'; limit?: number } = {},
) {
  const limit = options.limit ?? 500;
  const { organisationId, side } = options;
  const one = (column: 'receiver_org' | 'sender_org') =>
    db.query<RawReferral>(
      `SELECT ${REFERRAL_COLUMNS} FROM rf_referrals WHERE ${column} = $1 AND status = 'requested' AND respond_by <= $2
       ORDER BY respond_by, referral_id LIMIT $3`,
      [organisationId, now, limit],
    );
  let rows: RawReferral[];
  if (organisationId === undefined)
    rows = await db.query<RawReferral>(
      `SELECT ${REFERRAL_COLUMNS} FROM rf_referrals WHERE status = 'requested' AND respond_by <= $1
       ORDER BY respond_by, referral_id LIMIT $2`,
      [now, limit],
    );
  else if (side) rows = await one(side === 'receiver' ? 'receiver_org' : 'sender_org');
  else
    rows = [...(await one('receiver_org')), ...(await one('sender_org'))]
      .sort((a, b) => a.respond_by.localeCompare(b.respond_by) || a.referral_id.localeCompare(b.referral_id))
      .slice(0, limit);
  return rows.map(toReferral);
}

/**
 * Counts per status of an organisation's referrals, received and sent, and how many of them wait
 * unanswered past their response time (the overdue lists) on each side.
 */
export async function countsByStatus(
  db: SqlExecutor,
  organisationId: string,
  now: string,
): Promise<{
  received: Record<string, number>;
  sent: Record<string, number>;
  overdue: { received: number; sent: number };
}> {
  const count = async (column: string): Promise<Record<string, number>> => {
    const rows = await db.query<{ status: string; n: number | string }>(
      `SELECT status, COUNT(*) AS n FROM rf_referrals WHERE ${column} = $1 GROUP BY status ORDER BY status`,
      [organisationId],
    );
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  };
  const overdue = async (column: string): Promise<number> => {
    const [row] = await db.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM rf_referrals WHERE ${column} = $1 AND status = 'requested' AND respond_by <= $2`,
      [organisationId, now],
    );
    return Number(row?.n ?? 0);
  };
  return {
    received: await count('receiver_org'),
    sent: await count('sender_org'),
    overdue: { received: await overdue('receiver_org'), sent: await overdue('sender_org') },
  };
}

export async function referralById(db: SqlExecutor, referralId: string): Promise<ReferralRow | null> {
  const [row] = await db.query<RawReferral>(`SELECT ${REFERRAL_COLUMNS} FROM rf_referrals WHERE referral_id = $1`, [
    referralId,
  ]);
  return row ? toReferral(row) : null;
}

/** A client's consents as the domain type (input of consentCovers). */
export async function consentsOf(db: SqlExecutor, clientId: string): Promise<Consent[]> {
  const rows = await db.query<{
    consent_id: string;
    client_id: string;
    purpose: Consent['purpose'];
    recipient_org: string | null;
    recipient_category: string | null;
    scope: string;
    method: Consent['method'];
    recorded_by_org: string;
    recorded_by_user: string;
    given_at: string;
    expires_at: string | null;
    withdrawn_at: string | null;
  }>('SELECT * FROM rf_consents WHERE client_id = $1 ORDER BY given_at, consent_id', [clientId]);
  return rows.map((r) => ({
    consentId: r.consent_id,
    clientId: r.client_id,
    purpose: r.purpose,
    recipient: {
      ...(r.recipient_org === null ? {} : { organisationId: r.recipient_org }),
      ...(r.recipient_category === null ? {} : { serviceCategory: r.recipient_category as never }),
    },
    scope: JSON.parse(r.scope) as Consent['scope'],
    method: r.method,
    recordedBy: { organisationId: r.recorded_by_org, userId: r.recorded_by_user },
    givenAt: r.given_at,
    expiresAt: r.expires_at,
    withdrawnAt: r.withdrawn_at,
  }));
}

/**
 * A client's case at a glance: needs (with assessment history), consents, referrals, and the
 * applications and placements matching reported. No personal data.
 */
export async function clientOverview(db: SqlExecutor, clientId: string) {
  const needs = await db.query<{
    need_id: string;
    category: string;
    priority: string;
    status: string;
    opened_at: string;
  }>(
    'SELECT need_id, category, priority, status, opened_at FROM rf_needs WHERE client_id = $1 ORDER BY opened_at, need_id',
    [clientId],
  );
  const assessments = await db.query<{ need_id: string; assessment_id: string; priority: string; assessed_at: string }>(
    'SELECT need_id, assessment_id, priority, assessed_at FROM rf_need_assessments WHERE client_id = $1 ORDER BY assessed_at',
    [clientId],
  );
  const referrals = await db.query<RawReferral>(
    `SELECT ${REFERRAL_COLUMNS} FROM rf_referrals WHERE client_id = $1 ORDER BY requested_at, referral_id`,
    [clientId],
  );
  return {
    needs: needs.map((n) => ({
      needId: n.need_id,
      category: n.category,
      priority: n.priority,
      status: n.status,
      openedAt: n.opened_at,
      history: assessments
        .filter((a) => a.need_id === n.need_id)
        .map((a) => ({ assessmentId: a.assessment_id, priority: a.priority, at: a.assessed_at })),
    })),
    consents: await consentsOf(db, clientId),
    referrals: referrals.map(toReferral),
    placements: await placementsOf(db, clientId),
  };
}

/** Client status as the deciders' facts need it. */
export async function clientStatus(db: SqlExecutor, clientId: string): Promise<'active' | 'erased' | 'unknown'> {
  const [row] = await db.query<{ status: string }>('SELECT status FROM rf_clients WHERE client_id = $1', [clientId]);
  return row ? (row.status as 'active' | 'erased') : 'unknown';
}

/** The thread of a referral, texts opened with the client's key (an erased client's thread reads as erased). */
export async function referralMessages(db: SqlExecutor, keyStore: KeyStore, referralId: string) {
  const rows = await db.query<{
    message_id: string;
    client_id: string;
    by_org: string;
    by_user: string;
    at: string;
    event_type: string;
    sealed_text: string;
  }>('SELECT * FROM rf_referral_messages WHERE referral_id = $1 ORDER BY at, message_id', [referralId]);
  const out = [];
  for (const r of rows) {
    const opened = await openPersonalPart<{ text: string }>(keyStore, {
      type: r.event_type,
      data: { clientId: r.client_id, personal: JSON.parse(r.sealed_text) },
    });
    out.push({
      messageId: r.message_id,
      by: { organisationId: r.by_org, userId: r.by_user },
      at: r.at,
      text: opened && 'text' in opened ? opened.text : null,
    });
  }
  return out;
}

/** An open (or closed) need of a client, for suggestions. */
export async function needOf(
  db: SqlExecutor,
  clientId: string,
  needId: string,
): Promise<{ needId: string; category: string; status: string } | null> {
  const [row] = await db.query<{ need_id: string; category: string; status: string }>(
    'SELECT need_id, category, status FROM rf_needs WHERE need_id = $1 AND client_id = $2',
    [needId, clientId],
  );
  return row ? { needId: row.need_id, category: row.category, status: row.status } : null;
}

/**
 * Referrals sent without consent under the override (reason recorded): the report auditors and
 * network administrators review. No client id: the report is about organisations' conduct, not people.
 */
export async function consentOverrides(db: SqlExecutor, range: { from?: string; to?: string } = {}) {
  const rows = await db.query<{
    referral_id: string;
    sender_org: string;
    receiver_org: string;
    category: string;
    status: string;
    override_reason_code: string | null;
    requested_at: string;
  }>(
    `SELECT referral_id, sender_org, receiver_org, category, status, override_reason_code, requested_at
     FROM rf_referrals WHERE consent_overridden = 1 AND requested_at >= $1 AND requested_at < $2
     ORDER BY requested_at, referral_id LIMIT 1000`,
    [range.from ?? '0000', range.to ?? '9999'],
  );
  return rows.map((r) => ({
    referralId: r.referral_id,
    senderOrganisationId: r.sender_org,
    receiverOrganisationId: r.receiver_org,
    category: r.category,
    status: r.status,
    reasonCode: r.override_reason_code,
    requestedAt: r.requested_at,
  }));
}
