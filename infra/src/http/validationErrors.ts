import { BOUNDED_RULES } from '@estia/contracts/openapi/fieldRules.js';
import type { FieldError } from '../errors/appError.js';

/** The subset of an ajv error we read. */
export interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

const escapePointerToken = (token: string): string => token.replaceAll('~', '~0').replaceAll('/', '~1');

const MAX_ERRORS = 50;

/** What a client needs to say the broken rule in its own words (the detail stays English). */
const ruleOf = (issue: ValidationIssue): Omit<FieldError, 'pointer' | 'detail'> => {
  const { keyword, params } = issue;
  if (BOUNDED_RULES.has(keyword) && typeof params.limit === 'number') return { rule: keyword, limit: params.limit };
  if (keyword === 'enum' && Array.isArray(params.allowedValues))
    return { rule: keyword, allowed: params.allowedValues.map(String) };
  if (keyword === 'type' && typeof params.type === 'string') return { rule: keyword, expected: params.type };
  if (keyword === 'format' && typeof params.format === 'string') return { rule: keyword, expected: params.format };
  if (keyword === 'dependentRequired') return { rule: 'required' };
  if (keyword === 'unevaluatedProperties') return { rule: 'additionalProperties' };
  return { rule: keyword };
};

/**
 * Turns ajv errors into `{ pointer, detail }` pairs pointing into the request, e.g.
 * "/body/address/latitude". A missing or unexpected property points at the property itself.
 */
export const fieldErrorsFrom = (issues: readonly ValidationIssue[], context: string): FieldError[] => {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const issue of issues) {
    let pointer = `/${context}${issue.instancePath}`;
    let detail = issue.message ?? 'is not valid';
    if (
      (issue.keyword === 'required' || issue.keyword === 'dependentRequired') &&
      typeof issue.params.missingProperty === 'string'
    ) {
      pointer += `/${escapePointerToken(issue.params.missingProperty)}`;
      detail = 'is required';
    } else if (issue.keyword === 'additionalProperties' && typeof issue.params.additionalProperty === 'string') {
      pointer += `/${escapePointerToken(issue.params.additionalProperty)}`;
      detail = 'is not allowed';
    } else if (issue.keyword === 'unevaluatedProperties' && typeof issue.params.unevaluatedProperty === 'string') {
      pointer += `/${escapePointerToken(issue.params.unevaluatedProperty)}`;
      detail = 'is not allowed';
    } else if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
      detail = `must be one of: ${issue.params.allowedValues.map(String).join(', ')}`;
    }
    const key = `${pointer}\u0000${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, detail, ...ruleOf(issue) });
    if (out.length >= MAX_ERRORS) break;
  }
  return out;
};
