// Public surface of @estia/contracts. Types come from src/generated (run `pnpm gen`); nothing here restates them.
import type { components } from './generated/events.js';
import type { components as OpenApiCommonComponents } from './generated/openapi.common.js';

type GeneratedEnvelope = components['schemas']['EventEnvelope'];

/**
 * CloudEvents 1.0 envelope of an integration event. `TData` defaults to `unknown`: narrow it with
 * `validateEventData` / `assertValidEvent`, or use `TypedEventEnvelope<'estia....v1'>` when producing.
 */
export type EventEnvelope<TData = unknown> = Omit<GeneratedEnvelope, 'data'> & { data: TData };

// Event data types (OrganisationMembershipChangedV1, ...), shared definitions (LegalStatus, ...),
// EventType, EventDataByType, EVENT_TYPES, EVENT_SCHEMA_IDS, EVENT_TYPE_NAMES.
export * from './generated/eventCatalogue.js';
// Runtime lists of the closed vocabularies (LEGAL_STATUSES, CEFR_LEVELS, SERVICE_CATEGORIES, ...).
export * from './generated/vocabulary.js';
export { COUNTRY_CODES, isCountryCode } from './vocabulary/countries.js';

export {
  ENVELOPE_SCHEMA_ID,
  COMMON_SCHEMA_ID,
  EventValidationError,
  allEventSchemas,
  assertValidEvent,
  eventErrors,
  isEventType,
  schemaFor,
  validateEnvelope,
  validateEventData,
  type AnyEventEnvelope,
  type TypedEventEnvelope,
  type ValidationResult,
} from './validation/validateEvent.js';
export { compileSchema } from './validation/compileSchema.js';
export { getEventAjv } from './validation/eventAjv.js';
export { formatFieldErrors, toFieldErrors, type FieldError } from './validation/fieldErrors.js';
export { SCHEMA_BASE_URI } from './schemas/schemaFiles.js';
export { bundleOpenApi, loadOpenApi, type OpenApiDocument, type ServiceName } from './openapi/bundle.js';
export { requestSchemas, type RequestSchemas } from './openapi/requestSchemas.js';
export { HSDS_KINDS, hsdsSchemaId, hsdsValidator, validateHsds, type HsdsKind } from './hsds/validateHsds.js';
export { eventTopic, eventSource, eventServiceOf } from './events/topics.js';

// HTTP types per service: `import type { paths, components } from '@estia/contracts/generated/openapi.registry.js'`.
export type { components as OpenApiCommonComponents } from './generated/openapi.common.js';
export type Problem = OpenApiCommonComponents['schemas']['Problem'];
export {
  DEFAULT_CODE_GRACE_DAYS,
  exchangeBlockersAt,
  exchangeTermsOf,
  mayExchangeAt,
  type ExchangeBlocker,
  type ExchangeTerms,
} from './membership/exchangeRule.js';
