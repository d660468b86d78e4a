import { BOUNDED_RULES } from '@estia/contracts/openapi/fieldRules.js';
import type { components } from '@estia/contracts/generated/openapi.common.js';

type FieldError = components['schemas']['FieldError'];
type Translate = (key: string, options: { defaultValue: string } & Record<string, unknown>) => string;

/**
 * A field error in the reader's language: the services say the rule (a JSON Schema keyword and its
 * bound), the console words it. A rule of a service's own, or one the console has no words for, keeps
 * the service's English detail rather than saying nothing.
 */
export const fieldErrorText = (error: FieldError, t: Translate): string => {
  const say = (key: string, options: Record<string, unknown> = {}): string =>
    t(`fieldError.${key}`, { ...options, defaultValue: error.detail });
  const { rule, limit, allowed, expected } = error;
  if (rule === 'required' || (rule === 'minLength' && limit === 1)) return say('required');
  if (rule === 'additionalProperties' || rule === 'pattern') return say(rule);
  if (rule === 'enum' && allowed) return say('enum', { allowed: allowed.join(', ') });
  if (rule && BOUNDED_RULES.has(rule) && typeof limit === 'number') return say(rule, { limit });
  if ((rule === 'type' || rule === 'format') && expected) return say(`${rule}.${expected}`);
  return error.detail;
};
