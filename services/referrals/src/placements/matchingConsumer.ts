import type {
  ApplicationStatusChangedV1,
  EventEnvelope,
  PlacementFollowUpRecordedV1,
  PlacementHiredV1,
} from '@estia/contracts';
import type { SqlExecutor } from '@estia/infra/sql/types.js';

/** The consumer group (and inbox name) that keeps the clients' placements from matching's topic. */
export const MATCHING_PLACEMENTS_GROUP = 'referrals.matching';

/**
 * Erased clients get no new rows: matching may publish a hire before it has seen the erasure. On
 * PostgreSQL the row lock orders this against the projector's ClientErased (which updates the same row
 * and then purges): either the purge sees our committed row, or we see `erased` and skip.
 */
async function mayRecordFor(tx: SqlExecutor, clientId: string): Promise<boolean> {
  const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const [row] = await tx.query<{ status: string }>(`SELECT status FROM rf_clients WHERE client_id = $1${lock}`, [
    clientId,
  ]);
  return row?.status !== 'erased';
}

/**
 * Consumer handler (infra/processors/consumer.ts: inbox, checkpoint and these writes in one
 * transaction). Every write is an upsert that keeps the latest fact, so a redelivery or an
 * out-of-order arrival (applications and placements are keyed differently on the topic) converges.
 */
export async function applyMatchingEvent(tx: SqlExecutor, envelope: EventEnvelope): Promise<void> {
  switch (envelope.type) {
    case 'estia.matching.application.status-changed.v1': {
      const d = envelope.data as ApplicationStatusChangedV1;
      if (!(await mayRecordFor(tx, d.clientId))) return;
      await tx.execute(
        `INSERT INTO rf_placements (application_id, client_id, opportunity_id, employer_org, opportunity_kind, status,
           reason_code, status_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (application_id) DO UPDATE SET status = excluded.status, reason_code = excluded.reason_code,
           status_changed_at = excluded.status_changed_at
         WHERE rf_placements.status_changed_at <= excluded.status_changed_at`,
        [
          d.applicationId,
          d.clientId,
          d.opportunityId,
          d.employerOrganisationId,
          d.opportunityKind,
          d.status,
          d.reasonCode ?? null,
          d.changedAt,
        ],
      );
      return;
    }
    case 'estia.matching.placement.hired.v1': {
      const d = envelope.data as PlacementHiredV1;
      if (!(await mayRecordFor(tx, d.clientId))) return;
      // The placement facts always land; the status says `hired` unless a later change came first.
      await tx.execute(
        `INSERT INTO rf_placements (application_id, client_id, opportunity_id, employer_org, opportunity_kind, status,
           reason_code, status_changed_at, placement_id, start_date, hours_per_week, contract_type, occupation, hired_at)
         VALUES ($1, $2, $3, $4, $5, 'hired', NULL, $6, $7, $8, $9, $10, $11, $6)
         ON CONFLICT (application_id) DO UPDATE SET placement_id = excluded.placement_id,
           start_date = excluded.start_date, hours_per_week = excluded.hours_per_week,
           contract_type = excluded.contract_type, occupation = excluded.occupation, hired_at = excluded.hired_at,
           status = CASE WHEN rf_placements.status_changed_at <= excluded.status_changed_at
             THEN excluded.status ELSE rf_placements.status END,
           reason_code = CASE WHEN rf_placements.status_changed_at <= excluded.status_changed_at
             THEN excluded.reason_code ELSE rf_placements.reason_code END,
           status_changed_at = CASE WHEN rf_placements.status_changed_at <= excluded.status_changed_at
             THEN excluded.status_changed_at ELSE rf_placements.status_changed_at END`,
        [
          d.applicationId,
          d.clientId,
          d.opportunityId,
          d.employerOrganisationId,
          d.opportunityKind,
          d.hiredAt,
          d.placementId,
          d.startDate,
          d.hoursPerWeek ?? null,
          d.contractType ?? null,
          d.occupation === undefined ? null : JSON.stringify(d.occupation),
        ],
      );
      return;
    }
    case 'estia.matching.placement.follow-up-recorded.v1': {
      const d = envelope.data as PlacementFollowUpRecordedV1;
      if (!(await mayRecordFor(tx, d.clientId))) return;
      // Keyed by placement, so a follow-up that overtakes its hire waits here until the hire lands.
      await tx.execute(
        `INSERT INTO rf_placement_follow_ups (placement_id, months_after_start, client_id, employer_org,
           still_employed, reason_code, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (placement_id, months_after_start) DO UPDATE SET still_employed = excluded.still_employed,
           reason_code = excluded.reason_code, recorded_at = excluded.recorded_at
         WHERE rf_placement_follow_ups.recorded_at <= excluded.recorded_at`,
        [
          d.placementId,
          d.monthsAfterStart,
          d.clientId,
          d.employerOrganisationId,
          d.stillEmployed ? 1 : 0,
          d.reasonCode ?? null,
          d.recordedAt,
        ],
      );
      return;
    }
    default:
      return;
  }
}
