import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { isErased } from '@estia/infra/crypto/personalData.js';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { openPersonalPart } from '../application/personalCodec.js';
import { purgePlacements } from '../placements/schema.js';
import type { BlindIndex } from '../application/blindIndex.js';
import type { AccessRequestEvent } from '../domain/accessRequests/accessRequestDecider.js';
import type { ClientPersonalData } from '../domain/clients/clientData.js';
import type { ClientEvent } from '../domain/clients/clientDecider.js';
import { INDEXED_FIELDS, personTerms, type IndexedField } from '../domain/clients/searchTerms.js';
import type { NeedsEvent } from '../domain/needs/needsDecider.js';
import type { Opaque } from '../domain/shared/personal.js';
import type { ReferralEvent, ReferralStatus } from '../domain/referrals/referralTypes.js';

type ProjectedEvent = Opaque<ClientEvent> | Opaque<NeedsEvent> | Opaque<ReferralEvent> | Opaque<AccessRequestEvent>;

/** An event ready to be applied: what needed a key was opened before the transaction. */
export interface PreparedEvent {
  event: StoredEvent;
  /**
   * Registration, correction: the blind indexes of the personal fields the event sets (`fields`; their
   * earlier terms are replaced). Only HMACs: the plaintext was opened in memory and is gone.
   */
  terms?: { fields: IndexedField[]; terms: { field: IndexedField; term: string }[] };
}

/**
 * Opens the personal part of registrations and corrections in memory and keeps only its blind
 * indexes. Runs outside the database transaction: a key store on the same SQLite connection would
 * otherwise wait on itself.
 */
export async function prepareEvent(
  keyStore: KeyStore,
  blindIndex: BlindIndex,
  event: StoredEvent,
): Promise<PreparedEvent> {
  if (event.type !== 'ClientRegistered' && event.type !== 'ClientPersonalDataCorrected') return { event };
  const opened = await openPersonalPart<Partial<ClientPersonalData>>(keyStore, event);
  if (opened === undefined || isErased(opened)) return { event };
  const fields = INDEXED_FIELDS.filter((field) => opened[field] !== undefined);
  const terms = personTerms(opened).map(({ field, term }) => ({ field, term: blindIndex.term(term) }));
  return { event, terms: { fields, terms } };
}

const STATUS_AFTER: Partial<Record<ProjectedEvent['type'], ReferralStatus>> = {
  ReferralAccepted: 'accepted',
  ReferralRejected: 'rejected',
  ReferralStarted: 'in-progress',
  ReferralCompleted: 'completed',
  ReferralFailed: 'failed',
  ReferralCancelled: 'cancelled',
  ReferralExpired: 'expired',
};

/** Applies one event with `tx`. Every write is an upsert or keyed update, so a replay changes nothing. */
export async function applyEvent(tx: SqlExecutor, prepared: PreparedEvent): Promise<void> {
  const e = { type: prepared.event.type, data: prepared.event.data } as ProjectedEvent;
  switch (e.type) {
    case 'ClientRegistered': {
      const d = e.data;
      await tx.execute(
        `INSERT INTO rf_clients (client_id, status, registered_by_org, registered_at, erased_at)
         VALUES ($1, 'active', $2, $3, NULL) ON CONFLICT (client_id) DO NOTHING`,
        [d.clientId, d.registeredBy.organisationId, d.registeredAt],
      );
      await addClientOrganisation(tx, d.clientId, d.registeredBy.organisationId, d.registeredAt);
      if (prepared.terms) await replaceTerms(tx, d.clientId, prepared.terms);
      return;
    }
    case 'ClientPersonalDataCorrected':
      if (prepared.terms) await replaceTerms(tx, e.data.clientId, prepared.terms);
      return;
    case 'LegalStatusChanged':
      return;
    case 'ConsentGiven': {
      const d = e.data;
      await tx.execute(
        `INSERT INTO rf_consents (consent_id, client_id, purpose, recipient_org, recipient_category, scope, method,
           recorded_by_org, recorded_by_user, given_at, expires_at, withdrawn_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL) ON CONFLICT (consent_id) DO NOTHING`,
        [
          d.consentId,
          d.clientId,
          d.purpose,
          d.recipient.organisationId ?? null,
          d.recipient.serviceCategory ?? null,
          JSON.stringify(d.scope),
          d.method,
          d.recordedBy.organisationId,
          d.recordedBy.userId,
          d.givenAt,
          d.expiresAt,
        ],
      );
      return;
    }
    case 'ConsentWithdrawn':
      await tx.execute('UPDATE rf_consents SET withdrawn_at = $2 WHERE consent_id = $1 AND withdrawn_at IS NULL', [
        e.data.consentId,
        e.data.withdrawnAt,
      ]);
      return;
    case 'ClientErased': {
      const { clientId, erasedAt } = e.data;
      await tx.execute(`UPDATE rf_clients SET status = 'erased', erased_at = $2 WHERE client_id = $1`, [
        clientId,
        erasedAt,
      ]);
      await tx.execute('DELETE FROM rf_client_terms WHERE client_id = $1', [clientId]);
      await tx.execute('DELETE FROM rf_referral_messages WHERE client_id = $1', [clientId]);
      await purgePlacements(tx, clientId);
      // Events of earlier versions name no reason and no one to tell.
      for (const organisationId of e.data.notifiedOrganisationIds ?? [])
        await tx.execute(
          `INSERT INTO rf_erasure_notices (client_id, organisation_id, erased_at, erased_by_org, reason_code)
           VALUES ($1, $2, $3, $4, $5) ON CONFLICT (client_id, organisation_id) DO NOTHING`,
          [clientId, organisationId, erasedAt, e.data.erasedBy.organisationId, e.data.reasonCode ?? 'unspecified'],
        );
      return;
    }

    case 'AccessRequested': {
      const d = e.data;
      await tx.execute(
        `INSERT INTO rf_access_requests (access_request_id, client_id, requester_org, requested_by_user, purpose, scope,
           status, requested_at, expires_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7, $8, $7) ON CONFLICT (access_request_id) DO NOTHING`,
        [
          d.accessRequestId,
          d.clientId,
          d.requesterOrganisationId,
          d.requestedBy.userId,
          d.purpose,
          JSON.stringify(d.scope),
          d.requestedAt,
          d.expiresAt,
        ],
      );
      return;
    }
    case 'AccessRequestApproved': {
      const d = e.data;
      await tx.execute(
        `UPDATE rf_access_requests SET status = 'approved', updated_at = $2, answered_by_org = $3, consent_id = $4,
           consent_purpose = $5, consent_scope = $6, consent_method = $7, consent_expires_at = $8
         WHERE access_request_id = $1`,
        [
          d.accessRequestId,
          d.approvedAt,
          d.approvedBy.organisationId,
          d.consent.consentId,
          d.consent.purpose,
          JSON.stringify(d.consent.scope),
          d.consent.method,
          d.consent.expiresAt,
        ],
      );
      return;
    }
    case 'AccessRequestDeclined':
      await answerAccessRequest(tx, e.data.accessRequestId, 'declined', e.data.declinedAt, {
        by: e.data.declinedBy.organisationId,
        reasonCode: e.data.reasonCode,
      });
      return;
    case 'AccessRequestWithdrawn':
      await answerAccessRequest(tx, e.data.accessRequestId, 'withdrawn', e.data.withdrawnAt, {});
      return;
    case 'AccessRevoked':
      await answerAccessRequest(tx, e.data.accessRequestId, 'revoked', e.data.revokedAt, {
        reasonCode: e.data.reasonCode,
      });
      return;

    case 'NeedAssessed': {
      const d = e.data;
      await tx.execute(
        `INSERT INTO rf_needs (need_id, client_id, category, priority, status, opened_at, updated_at)
         VALUES ($1, $2, $3, $4, 'open', $5, $5) ON CONFLICT (need_id) DO NOTHING`,
        [d.needId, d.clientId, d.category, d.priority, d.at],
      );
      await addAssessment(tx, d.assessmentId, d.needId, d.clientId, d.priority, d.by.organisationId, d.at);
      return;
    }
    case 'NeedReassessed': {
      const d = e.data;
      await tx.execute('UPDATE rf_needs SET priority = $2, updated_at = $3 WHERE need_id = $1', [
        d.needId,
        d.priority,
        d.at,
      ]);
      await addAssessment(tx, d.assessmentId, d.needId, d.clientId, d.priority, d.by.organisationId, d.at);
      return;
    }
    case 'NeedClosed':
      await tx.execute(`UPDATE rf_needs SET status = 'closed', updated_at = $2 WHERE need_id = $1`, [
        e.data.needId,
        e.data.at,
      ]);
      return;

    case 'ReferralRequested':
      await tx.execute(INSERT_REFERRAL, referralRequestedRow(e.data));
      return;
    case 'ReferralPutOnHold':
      await tx.execute(
        `UPDATE rf_referrals SET status = 'on-hold', reason_code = $3, updated_at = $2
         WHERE referral_id = $1 AND status <> 'on-hold'`,
        [e.data.referralId, e.data.at, e.data.reasonCode],
      );
      return;
    case 'ReferralResumed':
      await tx.execute(
        `UPDATE rf_referrals SET status = $3, reason_code = NULL, updated_at = $2
         WHERE referral_id = $1 AND status = 'on-hold'`,
        [e.data.referralId, e.data.at, e.data.resumedTo],
      );
      return;
    case 'ReferralForwarded':
      return;
    case 'ReferralMessagePosted': {
      const d = e.data;
      // The text stays sealed here too; readers open it with the client's key (gone after erasure).
      await tx.execute(
        `INSERT INTO rf_referral_messages (message_id, referral_id, client_id, by_org, by_user, at, event_type, sealed_text)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (message_id) DO NOTHING`,
        [
          d.messageId,
          d.referralId,
          d.clientId,
          d.by.organisationId,
          d.by.userId,
          d.at,
          e.type,
          JSON.stringify(d.personal),
        ],
      );
      return;
    }
    default: {
      const row = statusChangeRow(prepared.event);
      if (row === undefined) return;
      await tx.execute(
        `UPDATE rf_referrals SET status = $2, updated_at = $3, reason_code = $4, outcome = $5 WHERE referral_id = $1`,
        row,
      );
    }
  }
}

/** rf_referrals' columns as a ReferralRequested inserts them (referralRequestedRow's order). */
export const REFERRAL_COLUMNS = `rf_referrals (referral_id, client_id, sender_org, receiver_org, service_id, category,
  need_id, share, status, consent_id, consent_overridden, override_reason_code, requested_at, respond_by, updated_at,
  reason_code, outcome, forwarded_from)`;
export const REFERRAL_CONFLICT = 'ON CONFLICT (referral_id) DO NOTHING';
/**
 * A sent referral's row with the status changes after it folded in (foldStatusChanges.ts): on conflict
 * the referral was there already, and the changes set its four status columns as their UPDATEs would.
 */
export const REFERRAL_UPSERT = `ON CONFLICT (referral_id) DO UPDATE SET status = excluded.status,
  updated_at = excluded.updated_at, reason_code = excluded.reason_code, outcome = excluded.outcome`;
const ROW_PLACEHOLDERS = `(${Array.from({ length: 18 }, (_, i) => `$${i + 1}`).join(', ')})`;
/** One referral's INSERT, its text built once (SQLite's statement cache finds it by its text). */
const INSERT_REFERRAL = `INSERT INTO ${REFERRAL_COLUMNS} VALUES ${ROW_PLACEHOLDERS} ${REFERRAL_CONFLICT}`;
export const UPSERT_REFERRAL = `INSERT INTO ${REFERRAL_COLUMNS} VALUES ${ROW_PLACEHOLDERS} ${REFERRAL_UPSERT}`;

export function referralRequestedRow(d: Extract<ProjectedEvent, { type: 'ReferralRequested' }>['data']): unknown[] {
  const override = d.consentBasis.kind === 'override' ? d.consentBasis : null;
  return [
    d.referralId,
    d.clientId,
    d.senderOrganisationId,
    d.receiverOrganisationId,
    d.serviceId ?? null,
    d.category,
    d.needId ?? null,
    JSON.stringify(d.share),
    'requested',
    d.consentBasis.kind === 'consent' ? d.consentBasis.consentId : null,
    override ? 1 : 0,
    override?.reasonCode ?? null,
    d.at,
    d.respondBy,
    d.at,
    null,
    null,
    d.forwardedFromReferralId ?? null,
  ];
}

/**
 * Sets in a sent referral's row (referralRequestedRow, of the caller's own making: changed in place)
 * the status, updated_at, reason_code and outcome the status change `change` (statusChangeRow) sets.
 */
export function setStatusChange(row: unknown[], change: readonly unknown[]): void {
  row[8] = change[1];
  row[14] = change[2];
  row[15] = change[3];
  row[16] = change[4];
}

/**
 * A status change's row (referral_id, status, updated_at, reason_code, outcome), or undefined when the
 * event changes no referral status.
 */
export function statusChangeRow(event: StoredEvent): unknown[] | undefined {
  const status = STATUS_AFTER[event.type as ProjectedEvent['type']];
  if (status === undefined) return undefined;
  const d = event.data as { referralId: string; at: string; reasonCode?: string; outcome?: string };
  return [d.referralId, status, d.at, d.reasonCode ?? null, d.outcome ?? null];
}

async function addClientOrganisation(
  tx: SqlExecutor,
  clientId: string,
  organisationId: string,
  since: string,
): Promise<void> {
  await tx.execute(
    `INSERT INTO rf_client_orgs (client_id, organisation_id, since) VALUES ($1, $2, $3)
     ON CONFLICT (client_id, organisation_id) DO NOTHING`,
    [clientId, organisationId, since],
  );
}

async function addAssessment(
  tx: SqlExecutor,
  assessmentId: string,
  needId: string,
  clientId: string,
  priority: string,
  organisationId: string,
  at: string,
): Promise<void> {
  await tx.execute(
    `INSERT INTO rf_need_assessments (assessment_id, need_id, client_id, priority, assessed_by_org, assessed_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (assessment_id) DO NOTHING`,
    [assessmentId, needId, clientId, priority, organisationId, at],
  );
}

/** A field's terms are replaced as a whole: a corrected family name no longer finds the client. */
async function replaceTerms(
  tx: SqlExecutor,
  clientId: string,
  prepared: NonNullable<PreparedEvent['terms']>,
): Promise<void> {
  for (const field of prepared.fields)
    await tx.execute('DELETE FROM rf_client_terms WHERE client_id = $1 AND field = $2', [clientId, field]);
  for (const { field, term } of prepared.terms)
    await tx.execute(
      `INSERT INTO rf_client_terms (client_id, field, term) VALUES ($1, $2, $3)
       ON CONFLICT (client_id, field, term) DO NOTHING`,
      [clientId, field, term],
    );
}

async function answerAccessRequest(
  tx: SqlExecutor,
  accessRequestId: string,
  status: 'declined' | 'withdrawn' | 'revoked',
  at: string,
  answer: { by?: string; reasonCode?: string },
): Promise<void> {
  await tx.execute(
    `UPDATE rf_access_requests SET status = $2, updated_at = $3,
       answered_by_org = COALESCE($4, answered_by_org), reason_code = COALESCE($5, reason_code)
     WHERE access_request_id = $1`,
    [accessRequestId, status, at, answer.by ?? null, answer.reasonCode ?? null],
  );
}
