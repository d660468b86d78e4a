import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { listEventSchemaFiles, type EventFile, type JsonSchema } from '../schemas/schemaFiles.js';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

interface Loaded {
  ajv: Ajv2020;
  files: EventFile[];
  byType: Map<string, EventFile>;
  validators: Map<string, ValidateFunction>;
}

let loaded: Loaded | undefined;

/**
 * The one ajv instance of the process for ESTIA schemas: built on first use, every event schema added
 * (so cross-file $refs resolve by $id), each validator compiled once and cached.
 */
export function eventSchemaRegistry(): Loaded {
  if (loaded) return loaded;
  // strictRequired off: if/then blocks require properties that the enclosing object defines.
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
  addFormats(ajv);
  const files = listEventSchemaFiles();
  for (const f of files) ajv.addSchema(f.schema);
  const byType = new Map(files.filter((f) => f.eventType).map((f) => [f.eventType!, f]));
  loaded = { ajv, files, byType, validators: new Map() };
  return loaded;
}

/** Compiled validator of the schema with this $id (cached). */
export function validatorForId(id: string): ValidateFunction {
  const reg = eventSchemaRegistry();
  let v = reg.validators.get(id);
  if (!v) {
    v = reg.ajv.getSchema(id);
    if (!v) throw new Error(`no schema with $id ${id}`);
    reg.validators.set(id, v);
  }
  return v;
}

/** The ajv instance holding every ESTIA event schema, e.g. for a fastify validator compiler. */
export const getEventAjv = (): Ajv2020 => eventSchemaRegistry().ajv;

export type { JsonSchema };
