/**
 * A tiny typed schema for environment variables. Each field parses one raw string; `loadConfig`
 * stops at the first problem and names the variable, never its value (URLs may carry passwords).
 */
export interface ConfigField<T> {
  /** Parses a present, non-empty raw value; throws a ConfigFieldError with a short reason. */
  readonly parse: (raw: string) => T;
  readonly defaultValue?: T;
  /** Missing is fine (the value is undefined) unless `requiredWhen` holds. */
  readonly optional: boolean;
  /** Set by `requiredWhen(...)`. */
  readonly condition?: { key: string; equals: readonly unknown[] };
  readonly description?: string;
  /** A copy that may be absent. */
  optionalField(): ConfigField<T | undefined>;
  /** A copy that may be absent, except when another variable has one of the given values. */
  requiredWhen(key: string, ...equals: readonly unknown[]): ConfigField<T | undefined>;
  withDefault(value: T): ConfigField<T>;
  describe(description: string): ConfigField<T>;
}

/** The reason a raw value did not parse; loadConfig prefixes the variable name. */
export class ConfigFieldError extends Error {}

export type ConfigSchema = Record<string, ConfigField<unknown>>;
export type ConfigOf<S extends ConfigSchema> = {
  readonly [K in keyof S]: S[K] extends ConfigField<infer T> ? T : never;
};

const field = <T>(
  parse: (raw: string) => T,
  base: Partial<Pick<ConfigField<T>, 'defaultValue' | 'optional' | 'condition' | 'description'>> = {},
): ConfigField<T> => {
  const self: ConfigField<T> = {
    parse,
    optional: base.optional ?? false,
    ...(base.defaultValue === undefined ? {} : { defaultValue: base.defaultValue }),
    ...(base.condition === undefined ? {} : { condition: base.condition }),
    ...(base.description === undefined ? {} : { description: base.description }),
    optionalField: () => field<T | undefined>(parse, { ...base, optional: true }),
    requiredWhen: (key, ...equals) =>
      field<T | undefined>(parse, { ...base, optional: true, condition: { key, equals } }),
    withDefault: (value) => field(parse, { ...base, defaultValue: value }),
    describe: (description) => field(parse, { ...base, description }),
  };
  return self;
};

const fail = (reason: string): never => {
  throw new ConfigFieldError(reason);
};

export const str = (options: { pattern?: RegExp; patternHint?: string } = {}): ConfigField<string> =>
  field((raw) => {
    if (options.pattern && !options.pattern.test(raw))
      fail(`must match ${options.patternHint ?? String(options.pattern)}`);
    return raw;
  });

export const int = (options: { min?: number; max?: number } = {}): ConfigField<number> =>
  field((raw) => {
    const min = options.min ?? Number.MIN_SAFE_INTEGER;
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    const n = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) fail(`must be an integer between ${min} and ${max}`);
    return n;
  });

export const port = (): ConfigField<number> => int({ min: 0, max: 65535 });

export const bool = (): ConfigField<boolean> =>
  field((raw) => {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    return fail('must be true or false');
  });

export const oneOf = <const V extends readonly string[]>(values: V): ConfigField<V[number]> =>
  field((raw) => {
    const v = raw.trim();
    if (!values.includes(v)) fail(`must be one of ${values.join('|')}`);
    return v as V[number];
  });

export const url = (options: { protocols?: readonly string[] } = {}): ConfigField<string> =>
  field((raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw.trim());
    } catch {
      return fail('must be a URL');
    }
    const protocols = options.protocols;
    if (protocols && !protocols.includes(parsed.protocol.replace(/:$/, '')))
      fail(`must be a ${protocols.join(' or ')} URL`);
    return raw.trim();
  });

/** Comma-separated, trimmed, empty items dropped; at least one item. */
export const list = (): ConfigField<string[]> =>
  field((raw) => {
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) fail('must list at least one value (comma-separated)');
    return items;
  });
