import type { EventEnvelope } from '../index.js';
import { EVENT_SCHEMA_IDS, EVENT_TYPES, type EventDataByType, type EventType } from '../generated/eventCatalogue.js';
import { eventSchemaRegistry, validatorForId, type JsonSchema } from './eventAjv.js';
import { formatFieldErrors, toFieldErrors, type FieldError } from './fieldErrors.js';

export const ENVELOPE_SCHEMA_ID = 'https://estia.network/schemas/events/envelope.v1.schema.json';
export const COMMON_SCHEMA_ID = 'https://estia.network/schemas/events/common.v1.schema.json';

export type ValidationResult<T> = { valid: true; value: T } | { valid: false; errors: FieldError[] };

/** An envelope whose `data` is typed by its `type` (a discriminated union over every public event). */
export type AnyEventEnvelope = { [T in EventType]: EventEnvelope<EventDataByType[T]> & { type: T } }[EventType];
export type TypedEventEnvelope<T extends EventType> = EventEnvelope<EventDataByType[T]> & { type: T };

const knownTypes: ReadonlySet<string> = new Set(EVENT_TYPES);
export const isEventType = (type: string): type is EventType => knownTypes.has(type);

/** Thrown by assertValidEvent; `errors` are ready for a problem+json body. Code matches infra's SCHEMA_VIOLATION. */
export class EventValidationError extends Error {
  readonly code = 'SCHEMA_VIOLATION';
  constructor(
    readonly eventType: string | undefined,
    readonly errors: FieldError[],
  ) {
    super(`invalid event${eventType ? ` ${eventType}` : ''}: ${formatFieldErrors(errors)}`);
    this.name = 'EventValidationError';
  }
}

/** Checks the CloudEvents envelope only (not `data` against its event schema). */
export function validateEnvelope(value: unknown): ValidationResult<EventEnvelope> {
  const validate = validatorForId(ENVELOPE_SCHEMA_ID);
  return validate(value)
    ? { valid: true, value: value as EventEnvelope }
    : { valid: false, errors: toFieldErrors(validate.errors) };
}

/** Checks an event's `data` against the schema of its type; pointers are relative to `data`. */
export function validateEventData<T extends EventType>(type: T, data: unknown): ValidationResult<EventDataByType[T]>;
export function validateEventData(type: string, data: unknown): ValidationResult<unknown>;
export function validateEventData(type: string, data: unknown): ValidationResult<unknown> {
  if (!isEventType(type))
    return { valid: false, errors: [{ pointer: '/type', detail: `is not a known event type: ${type}` }] };
  const validate = validatorForId(EVENT_SCHEMA_IDS[type]);
  return validate(data) ? { valid: true, value: data } : { valid: false, errors: toFieldErrors(validate.errors) };
}

/** Every problem of a whole event (envelope, type/version/dataschema consistency, data); empty when valid. */
export function eventErrors(value: unknown): FieldError[] {
  const envelope = validateEnvelope(value);
  if (!envelope.valid) return envelope.errors;
  const { type, dataschema, schemaversion, data } = envelope.value;
  if (!isEventType(type)) return [{ pointer: '/type', detail: `is not a known event type: ${type}` }];
  const errors: FieldError[] = [];
  if (dataschema !== EVENT_SCHEMA_IDS[type])
    errors.push({ pointer: '/dataschema', detail: `must be ${EVENT_SCHEMA_IDS[type]}` });
  const version = Number(/\.v(\d+)$/.exec(type)![1]);
  if (schemaversion !== version)
    errors.push({ pointer: '/schemaversion', detail: `must be ${version} (the version in type)` });
  const result = validateEventData(type, data);
  if (!result.valid) errors.push(...result.errors.map((e) => ({ ...e, pointer: `/data${e.pointer}` })));
  return errors;
}

/** Throws EventValidationError naming each failing field (e.g. `/data/legalStatus must be one of ...`). */
export function assertValidEvent(value: unknown): asserts value is AnyEventEnvelope {
  const errors = eventErrors(value);
  if (errors.length > 0) {
    const type = (value as { type?: unknown } | null)?.type;
    throw new EventValidationError(typeof type === 'string' ? type : undefined, errors);
  }
}

/** The JSON Schema (with its stable $id) of an event type's data. */
export function schemaFor(type: EventType): JsonSchema {
  const file = eventSchemaRegistry().byType.get(type);
  if (!file) throw new Error(`unknown event type ${type}`);
  return file.schema;
}

/**
 * Every ESTIA event schema (envelope, common, each event), with stable $id values. A fastify route can
 * `app.addSchema()` each and `$ref` them by $id; compile with `compileSchema` (ajv 2020-12), as fastify's
 * default validator speaks draft-07.
 */
export const allEventSchemas = (): readonly JsonSchema[] => eventSchemaRegistry().files.map((f) => f.schema);
