import { eventErrors, formatFieldErrors, validateEnvelope, type EventEnvelope } from '@estia/contracts';

export type EnvelopeCheck = { ok: true } | { ok: false; error: string };

/**
 * How a consumer checks each delivered message before its handler sees it. Services pass the contracts
 * validator (envelope + data schema of `type`); a failing message is dead-lettered at once with `error`.
 */
export type EnvelopeValidator = (value: unknown) => EnvelopeCheck | Promise<EnvelopeCheck>;

const REQUIRED_STRINGS = ['id', 'source', 'type', 'subject', 'time'] as const;

/**
 * The floor every consumer applies even without a schema validator: a CloudEvents 1.0 structured
 * envelope with the attributes the inbox and dead-letter table rely on.
 */
export const checkEnvelopeShape = (value: unknown): EnvelopeCheck => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: `message is not a JSON object (got ${typeof value === 'string' ? 'unparsable text' : typeof value})`,
    };
  }
  const record = value as Record<string, unknown>;
  if (record.specversion !== '1.0') return { ok: false, error: '/specversion: must be "1.0"' };
  for (const name of REQUIRED_STRINGS) {
    const attribute = record[name];
    if (typeof attribute !== 'string' || attribute.length === 0) {
      return { ok: false, error: `/${name}: must be a non-empty string` };
    }
  }
  if (!('data' in record)) return { ok: false, error: '/data: is required' };
  return { ok: true };
};

/** The default: the whole event against the contracts (envelope, known type, dataschema, data schema). */
export const contractsEventValidator: EnvelopeValidator = (value) => {
  const errors = eventErrors(value);
  return errors.length === 0 ? { ok: true } : { ok: false, error: formatFieldErrors(errors) };
};

/** The envelope schema only: for consumers that accept event types the catalogue does not list (tests, tools). */
export const contractsEnvelopeValidator: EnvelopeValidator = (value) => {
  const result = validateEnvelope(value);
  return result.valid ? { ok: true } : { ok: false, error: formatFieldErrors(result.errors) };
};

/** Runs the shape floor (the inbox needs an id), then the given validator (default: the contracts). */
export const composeValidator =
  (validate: EnvelopeValidator = contractsEventValidator): EnvelopeValidator =>
  async (value) => {
    const shape = checkEnvelopeShape(value);
    if (!shape.ok) return shape;
    return validate(value);
  };

export const eventIdOf = (value: unknown): string | null => {
  const id = (value as Partial<EventEnvelope> | null)?.id;
  return typeof id === 'string' && id.length > 0 ? id : null;
};

export const eventTypeOf = (value: unknown): string | null => {
  const type = (value as Partial<EventEnvelope> | null)?.type;
  return typeof type === 'string' ? type : null;
};
