import type { SqlExecutor } from '@estia/infra/sql/types.js';
import {
  DirectoryIndex,
  type IndexedLocation,
  type IndexedOrganisation,
  type IndexedService,
} from './directoryIndex.js';
import { changedSince, readRevision } from './directoryRevisions.js';

/**
 * One search index per read-model database, loaded from the read model on first use and brought up to
 * date before every search: one single-row read of the revision when nothing changed, otherwise a reload
 * of the rows the projection stamped since (directoryRevisions.ts). So a search sees every committed
 * projection batch, including the one an API call waited for (read-your-writes), as SQL did.
 */
interface Cached {
  index: DirectoryIndex;
  revision: number;
  /** Refreshes run one after another: two requests never load the same change twice at once. */
  queue: Promise<unknown>;
}

const caches = new WeakMap<SqlExecutor, Cached>();

export async function directoryIndexFor(db: SqlExecutor): Promise<DirectoryIndex> {
  let cached = caches.get(db);
  if (!cached) {
    cached = { index: new DirectoryIndex(), revision: -1, queue: Promise.resolve() };
    caches.set(db, cached);
  }
  const entry = cached;
  // Each caller checks after the refreshes queued before it: a commit that happened before this call
  // is therefore seen, even if another refresh was already running.
  const refreshed = entry.queue.then(() => refresh(db, entry));
  entry.queue = refreshed.catch(() => undefined);
  await refreshed;
  return entry.index;
}

async function refresh(db: SqlExecutor, entry: Cached): Promise<void> {
  const { revision, rebuiltAt } = await readRevision(db);
  if (entry.revision >= 0 && rebuiltAt <= entry.revision) {
    if (revision === entry.revision) return;
    const changed = await changedSince(db, entry.revision);
    const organisations = await loadOrganisations(db, changed.organisations);
    for (const id of changed.organisations) {
      const o = organisations.get(id);
      if (o) entry.index.putOrganisation(o);
      else entry.index.removeOrganisation(id);
    }
    const services = await loadServices(db, changed.services);
    for (const id of changed.services) {
      const s = services.get(id);
      if (s) entry.index.putService(s);
      else entry.index.removeService(id);
    }
  } else {
    // First use, or the read model was rebuilt: rows read now are at least as new as `revision`.
    const [organisations, services] = [await loadOrganisations(db, null), await loadServices(db, null)];
    entry.index = DirectoryIndex.of(organisations.values(), services.values());
  }
  entry.revision = revision;
}

const CHUNK = 500;

/** Runs `sql` (with `WHERE <column> IN (…)` filled in) over all rows, or over `ids` in chunks. */
async function rowsFor<Row>(db: SqlExecutor, sql: string, column: string, ids: readonly string[] | null) {
  if (ids === null) return db.query<Row>(sql.replace('%WHERE%', ''));
  const rows: Row[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const list = chunk.map((_, n) => `$${n + 1}`).join(', ');
    rows.push(...(await db.query<Row>(sql.replace('%WHERE%', `WHERE ${column} IN (${list})`), chunk)));
  }
  return rows;
}

async function loadOrganisations(
  db: SqlExecutor,
  ids: readonly string[] | null,
): Promise<Map<string, IndexedOrganisation>> {
  if (ids?.length === 0) return new Map();
  const rows = await rowsFor<{ id: string; name: string; status: string; updated_at: string }>(
    db,
    'SELECT id, name, status, updated_at FROM registry_organisations %WHERE%',
    'id',
    ids,
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        name: r.name,
        nameLower: r.name.toLowerCase(),
        approved: r.status === 'approved',
        updatedAt: r.updated_at,
      },
    ]),
  );
}

interface ServiceRow {
  id: string;
  organisation_id: string;
  name: string;
  description: string;
  intake: string;
  status: string;
  updated_at: string;
}

async function loadServices(db: SqlExecutor, ids: readonly string[] | null): Promise<Map<string, IndexedService>> {
  if (ids?.length === 0) return new Map();
  const rows = await rowsFor<ServiceRow>(
    db,
    'SELECT id, organisation_id, name, description, intake, status, updated_at FROM registry_services %WHERE%',
    'id',
    ids,
  );
  const values = async (table: string, column: string): Promise<Map<string, string[]>> => {
    const grouped = new Map<string, string[]>();
    for (const r of await rowsFor<{ service_id: string; value: string }>(
      db,
      `SELECT service_id, ${column} AS value FROM ${table} %WHERE%`,
      'service_id',
      ids,
    )) {
      const list = grouped.get(r.service_id);
      if (list) list.push(r.value);
      else grouped.set(r.service_id, [r.value]);
    }
    return grouped;
  };
  const categories = await values('registry_service_categories', 'term_id');
  const languages = await values('registry_service_languages', 'code');
  const statuses = await values('registry_service_legal_statuses', 'legal_status');
  const areas = await values('registry_service_areas', 'region');
  const locations = new Map<string, IndexedLocation[]>();
  for (const r of await rowsFor<{
    service_id: string;
    id: string;
    location_key: string;
    latitude: number;
    longitude: number;
  }>(
    db,
    'SELECT service_id, id, location_key, latitude, longitude FROM registry_service_locations %WHERE%',
    'service_id',
    ids,
  )) {
    const location = { id: r.id, key: r.location_key, latitude: Number(r.latitude), longitude: Number(r.longitude) };
    const list = locations.get(r.service_id);
    if (list) list.push(location);
    else locations.set(r.service_id, [location]);
  }
  const none: never[] = [];
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        organisationId: r.organisation_id,
        name: r.name,
        nameLower: r.name.toLowerCase(),
        descriptionLower: r.description.toLowerCase(),
        active: r.status === 'active',
        intakeOpen: r.intake === 'open',
        updatedAt: r.updated_at,
        categories: categories.get(r.id) ?? none,
        languages: languages.get(r.id) ?? none,
        legalStatuses: statuses.get(r.id) ?? none,
        areas: areas.get(r.id) ?? none,
        locations: (locations.get(r.id) ?? none).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
      },
    ]),
  );
}
