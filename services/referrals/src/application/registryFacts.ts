import type { EventEnvelope } from '@estia/contracts';
import type { SqlExecutor } from '@estia/infra/sql/types.js';

/**
 * Consumer handler (infra/processors/consumer.ts) keeping the registry facts the deciders need:
 * which organisations may exchange cases, and each service's category and promised response time.
 */
export async function applyRegistryEvent(tx: SqlExecutor, envelope: EventEnvelope): Promise<void> {
  const data = envelope.data as Record<string, unknown>;
  switch (envelope.type) {
    case 'estia.registry.organisation.membership-changed.v1':
      // Whole membership state per event: keep the latest (by changedAt) per organisation.
      await tx.execute(
        `INSERT INTO rf_organisations (organisation_id, status, may_exchange, changed_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (organisation_id) DO UPDATE SET status = excluded.status, may_exchange = excluded.may_exchange,
           changed_at = excluded.changed_at WHERE rf_organisations.changed_at <= excluded.changed_at`,
        [data.organisationId, data.status, data.mayExchange === true ? 1 : 0, data.changedAt],
      );
      return;
    case 'estia.registry.service.published.v1':
    case 'estia.registry.service.updated.v1':
      if (data.category === undefined || data.expectedResponseTimeHours === undefined) return;
      await tx.execute(
        `INSERT INTO rf_services (service_id, organisation_id, category, response_time_hours, withdrawn, changed_at)
         VALUES ($1, $2, $3, $4, 0, $5)
         ON CONFLICT (service_id) DO UPDATE SET organisation_id = excluded.organisation_id, category = excluded.category,
           response_time_hours = excluded.response_time_hours, withdrawn = 0, changed_at = excluded.changed_at
         WHERE rf_services.changed_at <= excluded.changed_at`,
        [data.serviceId, data.organisationId, data.category, data.expectedResponseTimeHours, data.changedAt],
      );
      return;
    case 'estia.registry.service.withdrawn.v1':
      await tx.execute('UPDATE rf_services SET withdrawn = 1, changed_at = $2 WHERE service_id = $1', [
        data.serviceId,
        data.withdrawnAt,
      ]);
      return;
  }
}

export interface OrganisationFacts {
  approved: boolean;
  mayExchange: boolean;
}

/** Unknown to us (the registry has not told us yet) means: not approved, may not exchange. */
export async function organisationFacts(db: SqlExecutor, organisationId: string): Promise<OrganisationFacts> {
  const [row] = await db.query<{ status: string; may_exchange: number | boolean }>(
    'SELECT status, may_exchange FROM rf_organisations WHERE organisation_id = $1',
    [organisationId],
  );
  return { approved: row?.status === 'approved', mayExchange: Number(row?.may_exchange ?? 0) === 1 };
}

export interface ServiceFacts {
  organisationId: string;
  category: string;
  responseTimeHours: number;
}

export async function serviceFacts(db: SqlExecutor, serviceId: string): Promise<ServiceFacts | null> {
  const [row] = await db.query<{ organisation_id: string; category: string; response_time_hours: number | string }>(
    'SELECT organisation_id, category, response_time_hours FROM rf_services WHERE service_id = $1 AND withdrawn = 0',
    [serviceId],
  );
  return row
    ? {
        organisationId: row.organisation_id,
        category: row.category,
        responseTimeHours: Number(row.response_time_hours),
      }
    : null;
}
