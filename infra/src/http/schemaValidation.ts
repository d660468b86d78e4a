import { Ajv2020, type AnySchema, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import * as addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats = addFormatsModule.default as unknown as typeof addFormatsModule.default.default;

/** OpenAPI annotation keywords that are not JSON Schema; accepted and ignored. */
export const OPENAPI_KEYWORDS = [
  'example',
  'discriminator',
  'xml',
  'externalDocs',
  'deprecated',
  'readOnly',
  'writeOnly',
];

export interface SchemaValidationOptions {
  /** More annotation keywords to tolerate in strict mode (e.g. `x-estia-personal`). */
  extraKeywords?: string[];
}

const baseOptions = (extraKeywords: string[]): Options => ({
  // Report every failing field at once; bodies are capped by bodyLimit, so the cost is bounded.
  allErrors: true,
  strict: true,
  strictTypes: true,
  strictTuples: true,
  strictRequired: false,
  allowUnionTypes: true,
  // Unknown fields are an error (additionalProperties: false), not silently dropped.
  removeAdditional: false,
  useDefaults: true,
  keywords: [
    ...new Set([
      ...OPENAPI_KEYWORDS.filter((k) => k !== 'deprecated' && k !== 'readOnly' && k !== 'writeOnly'),
      ...extraKeywords,
    ]),
  ],
});

/**
 * fastify `schemaController.compilersFactory.buildValidator`: JSON Schema 2020-12 (what OpenAPI 3.1
 * uses) with two ajv instances: bodies are validated exactly as sent (no type coercion: "5" is not
 * a number), while querystring, params and headers are strings on the wire and are coerced.
 * Shared schemas added with `app.addSchema` (contract components with `$id`) reach both.
 */
export const buildValidatorFactory =
  (options: SchemaValidationOptions = {}) =>
  (externalSchemas: unknown): FastifySchemaCompiler<AnySchema> => {
    const base = baseOptions(options.extraKeywords ?? []);
    const strictBody = new Ajv2020({ ...base, coerceTypes: false });
    // strict mode's strictNumbers skips `minimum`/`maximum` for a query string that coerces to ±Infinity
    // ("1e309"); without it the bounds apply, so a huge page size is a 400, not a database error.
    const coercing = new Ajv2020({ ...base, coerceTypes: 'array', strictNumbers: false });
    for (const ajv of [strictBody, coercing]) {
      addFormats(ajv);
      for (const schema of Object.values((externalSchemas ?? {}) as Record<string, AnySchema>)) {
        const id = (schema as { $id?: string }).$id;
        if (id === undefined || ajv.getSchema(id) === undefined) ajv.addSchema(schema);
      }
    }
    return ({ schema, httpPart }) => {
      const ajv = httpPart === 'body' ? strictBody : coercing;
      const id = (schema as { $id?: string }).$id;
      const existing = id === undefined ? undefined : ajv.getSchema(id);
      const validate: ValidateFunction = existing ?? ajv.compile(schema);
      return validate as ReturnType<FastifySchemaCompiler<AnySchema>>;
    };
  };
