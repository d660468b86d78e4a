import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { REVISION_DDL } from './directoryRevisions.js';

/**
 * The directory read model. Plain SQL both SQLite and PostgreSQL speak. Multi-valued attributes get
 * their own tables keyed (value, service_id) so a filter is an index lookup; a service's category is
 * stored with all its ancestors, so "housing" finds "emergency_shelter" without recursion at query time.
 * Locations are indexed on (latitude, longitude) for the bounding-box prefilter of distance search.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS registry_organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    legal_identifier TEXT NOT NULL,
    country TEXT NOT NULL,
    region TEXT NOT NULL,
    street TEXT NOT NULL,
    locality TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL,
    email TEXT NOT NULL,
    phone TEXT,
    website TEXT,
    status TEXT NOT NULL,
    licence_valid_until TEXT,
    accepted_code_version INTEGER,
    updated_at TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS registry_organisations_status_name ON registry_organisations (status, name)`,
  `CREATE TABLE IF NOT EXISTS registry_services (
    id TEXT PRIMARY KEY,
    organisation_id TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    category_id TEXT NOT NULL,
    min_age INTEGER,
    max_age INTEGER,
    response_time_hours INTEGER NOT NULL,
    available INTEGER NOT NULL,
    maximum INTEGER NOT NULL,
    intake TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS registry_services_organisation ON registry_services (organisation_id)`,
  `CREATE INDEX IF NOT EXISTS registry_services_status_name ON registry_services (status, name)`,
  `CREATE TABLE IF NOT EXISTS registry_service_categories (
    term_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    PRIMARY KEY (term_id, service_id)
  )`,
  `CREATE TABLE IF NOT EXISTS registry_service_languages (
    code TEXT NOT NULL,
    service_id TEXT NOT NULL,
    PRIMARY KEY (code, service_id)
  )`,
  `CREATE TABLE IF NOT EXISTS registry_service_legal_statuses (
    legal_status TEXT NOT NULL,
    service_id TEXT NOT NULL,
    PRIMARY KEY (legal_status, service_id)
  )`,
  `CREATE TABLE IF NOT EXISTS registry_service_areas (
    region TEXT NOT NULL,
    service_id TEXT NOT NULL,
    PRIMARY KEY (region, service_id)
  )`,
  // Replacing a service's children deletes by service_id: without these, every update scans the table.
  `CREATE INDEX IF NOT EXISTS registry_service_categories_service ON registry_service_categories (service_id)`,
  `CREATE INDEX IF NOT EXISTS registry_service_languages_service ON registry_service_languages (service_id)`,
  `CREATE INDEX IF NOT EXISTS registry_service_legal_statuses_service ON registry_service_legal_statuses (service_id)`,
  `CREATE INDEX IF NOT EXISTS registry_service_areas_service ON registry_service_areas (service_id)`,
  // Keyed by service, as every write and every read but one go: rows arrive in the order of their
  // services, where a key of random UUIDs (id, sal_id) put each row on a page of its own among the
  // table's, and a rebuild's rate fell with the directory's size (B-tree pages beyond the cache).
  `CREATE TABLE IF NOT EXISTS registry_service_locations (
    id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    -- HSDS service_at_location id (service + location), looked up by /service_at_locations/{id}.
    sal_id TEXT NOT NULL,
    location_key TEXT NOT NULL,
    name TEXT NOT NULL,
    street TEXT NOT NULL,
    locality TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    region TEXT NOT NULL,
    country TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL,
    longitude DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (service_id, location_key)
  )`,
  `CREATE INDEX IF NOT EXISTS registry_service_locations_lat_lon ON registry_service_locations (latitude, longitude)`,
  // Not UNIQUE, so that a rebuild creates it at its end: sal_id is a UUID of the primary key's values.
  `CREATE INDEX IF NOT EXISTS registry_service_locations_sal ON registry_service_locations (sal_id)`,
  // A location's schedule is replaced and read with its service's, by service_id.
  `CREATE TABLE IF NOT EXISTS registry_location_schedules (
    service_id TEXT NOT NULL,
    location_id TEXT NOT NULL,
    weekday INTEGER NOT NULL,
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    PRIMARY KEY (service_id, location_id, weekday, opens)
  )`,
];

/** Every table the directory projection writes, children first (for a rebuild). */
export const DIRECTORY_TABLES = [
  'registry_location_schedules',
  'registry_service_locations',
  'registry_service_areas',
  'registry_service_legal_statuses',
  'registry_service_languages',
  'registry_service_categories',
  'registry_services',
  'registry_organisations',
] as const;

/**
 * Secondary indexes the projection's own writes never use (its deletes go by service_id, whose indexes
 * stay; its revision stamps upsert by (kind, id)): a rebuild from the first event creates these once at its end.
 */
export const DIRECTORY_DEFERRED_INDEXES: readonly string[] = [
  'registry_organisations_status_name',
  'registry_services_organisation',
  'registry_services_status_name',
  'registry_service_locations_lat_lon',
  'registry_service_locations_sal',
  // Read by the search index's reloads only: a rebuild stamps every row, and readers start over after it.
  'registry_directory_revisions_revision',
].map((name) => {
  const statement = [...DDL, ...REVISION_DDL].find((s) => s.startsWith(`CREATE INDEX IF NOT EXISTS ${name} `));
  if (!statement) throw new Error(`no index ${name} in the directory DDL`);
  return statement;
});

export async function ensureDirectoryTables(db: SqlDatabase): Promise<void> {
  for (const statement of DDL) await db.execute(db.dialect === 'sqlite' ? withoutRowid(statement) : statement);
}

/**
 * On SQLite a table keyed by a composite primary key is a rowid B-tree plus a second B-tree for that
 * key, so each row is written twice; WITHOUT ROWID stores the row in its key's B-tree alone (half the
 * writes for the directory's child rows, most of a rebuild). PostgreSQL has no such distinction.
 */
const withoutRowid = (statement: string): string =>
  /^CREATE TABLE[\s\S]*PRIMARY KEY \([^)]*,[^)]*\)\s*\)$/.test(statement) ? `${statement} WITHOUT ROWID` : statement;
