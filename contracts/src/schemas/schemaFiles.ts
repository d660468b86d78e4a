import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of every ESTIA schema $id; the path below it mirrors contracts/ (events/..., openapi/...). */
export const SCHEMA_BASE_URI = 'https://estia.network/schemas/';

export const contractsRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const eventsDir = join(contractsRoot, 'events');

export type JsonSchema = Record<string, unknown> & { $id?: string; $defs?: Record<string, JsonSchema> };

export interface EventFile {
  /** Path relative to contracts/events, with forward slashes, e.g. `registry/service.published.v1.schema.json`. */
  relPath: string;
  id: string;
  schema: JsonSchema;
  /** TypeScript / component name, e.g. `ServicePublishedV1`; `EventEnvelope` and `Common` for the shared files. */
  componentName: string;
  /** `estia.<service>.<aggregate>.<event>.v<N>` for event payload schemas; undefined for envelope and common. */
  eventType?: string;
  service?: 'registry' | 'referrals' | 'matching';
  version?: number;
}

const EVENT_FILE =
  /^(registry|referrals|matching)\/([a-z][a-z0-9-]*)\.([a-z][a-z0-9-]*)\.v([1-9][0-9]*)\.schema\.json$/;

export const pascal = (s: string): string =>
  s
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((p) => p.endsWith('.schema.json'));
}

/** Every schema under contracts/events, sorted by path so generation and loading are deterministic. */
export function listEventSchemaFiles(dir: string = eventsDir): EventFile[] {
  return walk(dir)
    .map((abs) => relative(dir, abs).split(sep).join('/'))
    .sort()
    .map((relPath) => {
      const schema = JSON.parse(readFileSync(join(dir, relPath), 'utf8')) as JsonSchema;
      const expectedId = `${SCHEMA_BASE_URI}events/${relPath}`;
      // The $id mirrors the path so that relative $refs resolve the same way on disk and in ajv.
      if (schema.$id !== expectedId) throw new Error(`${relPath}: $id must be ${expectedId}, got ${schema.$id}`);
      if (relPath === 'envelope.v1.schema.json')
        return { relPath, id: expectedId, schema, componentName: 'EventEnvelope' };
      if (relPath === 'common.v1.schema.json') return { relPath, id: expectedId, schema, componentName: 'Common' };
      const m = EVENT_FILE.exec(relPath);
      if (!m) throw new Error(`${relPath}: expected <service>/<aggregate>.<event>.v<N>.schema.json`);
      const [, service, aggregate, event, version] = m as unknown as [
        string,
        EventFile['service'],
        string,
        string,
        string,
      ];
      return {
        relPath,
        id: expectedId,
        schema,
        componentName: `${pascal(aggregate)}${pascal(event)}V${version}`,
        eventType: `estia.${service}.${aggregate}.${event}.v${version}`,
        service,
        version: Number(version),
      };
    });
}
