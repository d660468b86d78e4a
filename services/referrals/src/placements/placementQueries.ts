import type { SqlExecutor } from '@estia/infra/sql/types.js';

export interface PlacementFollowUp {
  monthsAfterStart: number;
  stillEmployed: boolean;
  reasonCode: string | null;
  recordedAt: string;
}

/** One application of the client through matching, with its placement once hired. No personal data. */
export interface ClientPlacement {
  applicationId: string;
  opportunityId: string;
  employerOrganisationId: string;
  opportunityKind: string;
  status: string;
  reasonCode: string | null;
  statusChangedAt: string;
  placement: {
    placementId: string;
    startDate: string;
    hiredAt: string;
    hoursPerWeek: number | null;
    contractType: string | null;
    occupation: { escoUri?: string; iscoCode?: string } | null;
    followUps: PlacementFollowUp[];
  } | null;
}

/**
 * A client's applications and placements, oldest first (the overview and the auditor's case history).
 * The caller applies the access rules.
 */
export async function placementsOf(db: SqlExecutor, clientId: string): Promise<ClientPlacement[]> {
  const rows = await db.query<{
    application_id: string;
    opportunity_id: string;
    employer_org: string;
    opportunity_kind: string;
    status: string;
    reason_code: string | null;
    status_changed_at: string;
    placement_id: string | null;
    start_date: string | null;
    hours_per_week: number | string | null;
    contract_type: string | null;
    occupation: string | null;
    hired_at: string | null;
  }>('SELECT * FROM rf_placements WHERE client_id = $1 ORDER BY status_changed_at, application_id', [clientId]);
  const followUps = await db.query<{
    placement_id: string;
    months_after_start: number | string;
    still_employed: number | boolean;
    reason_code: string | null;
    recorded_at: string;
  }>(
    `SELECT placement_id, months_after_start, still_employed, reason_code, recorded_at FROM rf_placement_follow_ups
     WHERE client_id = $1 ORDER BY placement_id, months_after_start`,
    [clientId],
  );
  return rows.map((r) => ({
    applicationId: r.application_id,
    opportunityId: r.opportunity_id,
    employerOrganisationId: r.employer_org,
    opportunityKind: r.opportunity_kind,
    status: r.status,
    reasonCode: r.reason_code,
    statusChangedAt: r.status_changed_at,
    placement:
      r.placement_id === null
        ? null
        : {
            placementId: r.placement_id,
            startDate: r.start_date!,
            hiredAt: r.hired_at!,
            hoursPerWeek: r.hours_per_week === null ? null : Number(r.hours_per_week),
            contractType: r.contract_type,
            occupation: r.occupation === null ? null : (JSON.parse(r.occupation) as { escoUri?: string }),
            followUps: followUps
              .filter((f) => f.placement_id === r.placement_id)
              .map((f) => ({
                monthsAfterStart: Number(f.months_after_start),
                stillEmployed: Number(f.still_employed) === 1,
                reasonCode: f.reason_code,
                recordedAt: f.recorded_at,
              })),
          },
  }));
}
