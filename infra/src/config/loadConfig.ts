import { ConfigFieldError, type ConfigOf, type ConfigSchema } from './configSchema.js';

/** A configuration problem; the message is one line that names the variable. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, reason: string) {
    super(`${variable} ${reason}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/**
 * Validates `env` against `schema` (pure: no process access). Empty strings count as missing, so
 * `FOO=` in a compose file means "use the default". Throws ConfigError at the first problem.
 */
export const loadConfig = <S extends ConfigSchema>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): ConfigOf<S> => {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema)) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') {
      out[name] = field.defaultValue;
      continue;
    }
    try {
      out[name] = field.parse(raw);
    } catch (error) {
      if (error instanceof ConfigFieldError) throw new ConfigError(name, error.message);
      throw error;
    }
  }
  // Conditions are checked once every value is known, so they may refer to later fields.
  for (const [name, field] of Object.entries(schema)) {
    if (out[name] !== undefined) continue;
    const rule = field.condition;
    if (rule) {
      if (rule.equals.includes(out[rule.key]))
        throw new ConfigError(name, `is required when ${rule.key}=${String(out[rule.key])}`);
    } else if (!field.optional) {
      throw new ConfigError(name, 'is required');
    }
  }
  return out as ConfigOf<S>;
};

/**
 * For a service's main: on a bad configuration print ONE line (`config error: …`) to stderr and exit
 * with code 2, before anything else starts.
 */
export const loadConfigOrExit = <S extends ConfigSchema>(
  schema: S,
  env: Readonly<Record<string, string | undefined>> = process.env,
  exit: (code: number) => never = (code) => process.exit(code),
): ConfigOf<S> => {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`config error: ${error.message}\n`);
    return exit(2);
  }
};
