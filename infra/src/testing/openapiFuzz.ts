import { randomInt } from 'node:crypto';
import { loadOpenApi, type ServiceName } from '@estia/contracts';
import fc from 'fast-check';

/**
 * A seeded, bounded fuzz of every operation of a service, generated from its OpenAPI document:
 * path ids real or random or malformed, query and body values valid by the schema or broken on
 * purpose, with no token, a garbage one, or valid tokens of every role given. Sequential, so the
 * event log's head before and after a refused request shows whether it wrote anything.
 */

type Schema = Record<string, unknown>;

export interface FuzzPrincipal {
  organisationId: string;
  roles: string[];
  scopes?: string[];
}

export interface FuzzTarget {
  service: ServiceName;
  inject(request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    payload?: string;
  }): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>;
  /** Real ids by path parameter name (`clientId`, `id`, …): requests mostly aim at things that exist. */
  ids: Record<string, readonly string[]>;
  principals: readonly FuzzPrincipal[];
  token(principal: FuzzPrincipal): Promise<string>;
  /** The event log's head (global position or count): unchanged by every refused request. */
  head(): Promise<number>;
}

export interface FuzzFinding {
  request: string;
  status: number;
  problem: string;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  byStatus: Record<number, number>;
  operations: number;
  findings: FuzzFinding[];
}

/** FUZZ_SEED replays a run; otherwise a fresh seed (printed by the caller). */
export const fuzzSeed = (): number =>
  process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : randomInt(0, 2 ** 31 - 1);

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string; required?: boolean; schema?: Schema }[];
  body?: Schema;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u202eb',
  'x'.repeat(5_000),
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '%00',
  '😀',
  'null',
  '-1',
  '9223372036854775807',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
];
const EDGE_NUMBERS = [-1, 0, 1, 2 ** 31, 2 ** 53 + 1, 2 ** 63, -1e308, 1.5];

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...EDGE_STRINGS, ...EDGE_NUMBERS, null, true, [], {}, [null], { $ref: '#' }),
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 2 }),
);

function deref(document: Schema, schema: unknown, depth = 0): Schema {
  let node = (schema ?? {}) as Schema;
  for (let i = 0; typeof node.$ref === 'string' && i < 10; i++) {
    const path = (node.$ref as string).replace(/^#\//, '').split('/');
    node = path.reduce<Schema>(
      (at, key) => (at[key.replace(/~1/g, '/').replace(/~0/g, '~')] ?? {}) as Schema,
      document,
    );
  }
  return depth > 50 ? {} : node;
}

const FORMATS: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.uuid(),
  date: fc
    .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  'date-time': fc
    .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  email: fc.emailAddress(),
  uri: fc.webUrl(),
};

/** Values valid by a schema (as far as a generator can tell without the service's rules). */
export function arbitraryFor(document: Schema, schema: unknown, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(document, schema);
  if (depth > 6) return fc.constant(null);
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  for (const key of ['oneOf', 'anyOf'] as const)
    if (Array.isArray(s[key]))
      return fc.oneof(...(s[key] as unknown[]).map((x) => arbitraryFor(document, x, depth + 1)));
  if (Array.isArray(s.allOf)) {
    const merged: Schema = {};
    for (const part of s.allOf as unknown[]) {
      const p = deref(document, part);
      Object.assign(merged, p, {
        properties: { ...(merged.properties as Schema), ...(p.properties as Schema) },
        required: [...((merged.required as string[]) ?? []), ...((p.required as string[]) ?? [])],
      });
    }
    return arbitraryFor(document, merged, depth + 1);
  }
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
  const type = types.find((t) => t !== 'null') ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
  switch (type) {
    case 'string': {
      const format = typeof s.format === 'string' ? FORMATS[s.format] : undefined;
      if (format) return format;
      if (typeof s.pattern === 'string') {
        try {
          return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length <= ((s.maxLength as number) ?? 200));
        } catch {
          /* a pattern fast-check cannot read: plain strings below */
        }
      }
      return fc.string({
        minLength: (s.minLength as number) ?? 0,
        maxLength: Math.min((s.maxLength as number) ?? 30, 60),
        unit: 'grapheme-ascii',
      });
    }
    case 'integer':
      return fc.integer({
        min: (s.minimum as number) ?? -1000,
        max: Math.min((s.maximum as number) ?? 1000, 2 ** 31 - 1),
      });
    case 'number':
      return fc.double({
        min: (s.minimum as number) ?? -1000,
        max: (s.maximum as number) ?? 1000,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(arbitraryFor(document, s.items, depth + 1), {
        minLength: (s.minItems as number) ?? 0,
        maxLength: Math.min((s.maxItems as number) ?? 3, 3),
      });
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = new Set((s.required as string[]) ?? []);
      const record = Object.fromEntries(
        Object.entries(properties).map(([k, v]) => [k, arbitraryFor(document, v, depth + 1)]),
      );
      return fc.record(record, { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) });
    }
    default:
      return junk;
  }
}

/** One field of a valid value broken (wrong type, edge string, extra or missing field). */
const broken = (value: unknown): fc.Arbitrary<unknown> => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return junk;
  const keys = Object.keys(value);
  return fc.oneof(
    junk.map((j) => ({ ...value, unexpectedField: j })),
    ...(keys.length === 0
      ? []
      : [
          fc.tuple(fc.constantFrom(...keys), junk).map(([k, j]) => ({ ...(value as Record<string, unknown>), [k]: j })),
          fc.constantFrom(...keys).map((k) => {
            const { [k]: _dropped, ...rest } = value as Record<string, unknown>;
            return rest;
          }),
        ]),
  );
};

export function operationsOf(service: ServiceName): { document: Schema; operations: Operation[] } {
  const document = loadOpenApi(service) as Schema;
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Schema>)) {
    const shared = ((item.parameters as unknown[]) ?? []).map((p) => deref(document, p));
    for (const method of METHODS) {
      const op = item[method] as Schema | undefined;
      if (!op) continue;
      const own = ((op.parameters as unknown[]) ?? []).map((p) => deref(document, p));
      const body = deref(document, op.requestBody);
      const json = (body.content as Record<string, { schema?: unknown }> | undefined)?.['application/json'];
      operations.push({
        method: method.toUpperCase(),
        path,
        parameters: [...shared, ...own] as Operation['parameters'],
        ...(json?.schema ? { body: json.schema as Schema } : {}),
      });
    }
  }
  return { document, operations };
}

interface Planned {
  operation: Operation;
  pathValues: Record<string, string>;
  query: [string, string][];
  auth: { kind: 'none' } | { kind: 'garbage'; value: string } | { kind: 'principal'; index: number };
  body: { kind: 'none' } | { kind: 'json'; value: unknown } | { kind: 'raw'; value: string; type: string };
  idempotencyKey?: string;
}

const asParam = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function plan(document: Schema, operation: Operation, target: FuzzTarget): fc.Arbitrary<Planned> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const pathValues = fc.record(
    Object.fromEntries(
      pathParams.map((p) => {
        const real = target.ids[p.name] ?? [];
        return [
          p.name,
          fc.oneof(
            { weight: real.length > 0 ? 6 : 0, arbitrary: real.length > 0 ? fc.constantFrom(...real) : fc.uuid() },
            { weight: 2, arbitrary: fc.uuid() },
            { weight: 1, arbitrary: fc.constantFrom(...EDGE_STRINGS.filter(Boolean)) },
          ),
        ];
      }),
    ),
  ) as fc.Arbitrary<Record<string, string>>;
  const query = fc
    .tuple(
      ...queryParams.map((p) =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constant(undefined) },
          { weight: 4, arbitrary: arbitraryFor(document, p.schema).map(asParam) },
          { weight: 2, arbitrary: junk.map(asParam) },
        ),
      ),
    )
    .map((values) =>
      values.flatMap((v, i) => (v === undefined ? [] : [[queryParams[i]!.name, v] as [string, string]])),
    );
  const principals = target.principals.length;
  const auth = fc.oneof(
    { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('Bearer x', 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Basic YTpi', 'Bearer ')
        .map((value) => ({ kind: 'garbage' as const, value })),
    },
    {
      weight: 8,
      arbitrary: fc.integer({ min: 0, max: principals - 1 }).map((index) => ({ kind: 'principal' as const, index })),
    },
  );
  const valid = operation.body ? arbitraryFor(document, operation.body) : fc.constant(undefined);
  const body = operation.body
    ? fc.oneof(
        { weight: 4, arbitrary: valid.map((value) => ({ kind: 'json' as const, value })) },
        { weight: 3, arbitrary: valid.chain(broken).map((value) => ({ kind: 'json' as const, value })) },
        { weight: 1, arbitrary: junk.map((value) => ({ kind: 'json' as const, value })) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            { kind: 'raw' as const, value: '{"unterminated": ', type: 'application/json' },
            { kind: 'raw' as const, value: 'plain words', type: 'text/plain' },
            { kind: 'raw' as const, value: '<a/>', type: 'application/xml' },
          ),
        },
        { weight: 1, arbitrary: fc.constant({ kind: 'none' as const }) },
      )
    : fc.oneof(
        { weight: 9, arbitrary: fc.constant({ kind: 'none' as const }) },
        { weight: 1, arbitrary: junk.map((value) => ({ kind: 'json' as const, value })) },
      );
  return fc.record({
    operation: fc.constant(operation),
    pathValues,
    query,
    auth,
    body,
    idempotencyKey: fc.option(fc.constantFrom('fuzz-key-1', 'fuzz-key-2', 'fuzz-key-3'), { nil: undefined, freq: 2 }),
  }) as fc.Arbitrary<Planned>;
}

const isProblem = (contentType: unknown, body: string): string | undefined => {
  if (typeof contentType !== 'string' || !contentType.startsWith('application/problem+json'))
    return `content type ${String(contentType)}`;
  try {
    const parsed = JSON.parse(body) as { type?: unknown; title?: unknown; status?: unknown };
    if (typeof parsed.type !== 'string' || typeof parsed.title !== 'string' || typeof parsed.status !== 'number')
      return 'body lacks type/title/status';
  } catch {
    return 'body is not JSON';
  }
  return undefined;
};

/** Runs `runs` requests spread over every operation of the target's service, from `seed`. */
export async function fuzzService(target: FuzzTarget, options: { seed: number; runs: number }): Promise<FuzzReport> {
  const { document, operations } = operationsOf(target.service);
  const arbitrary = fc.constantFrom(...operations).chain((op) => plan(document, op, target));
  const planned = fc.sample(arbitrary, { seed: options.seed, numRuns: options.runs });
  const tokens = new Map<number, string>();
  const report: FuzzReport = {
    seed: options.seed,
    requests: 0,
    byStatus: {},
    operations: operations.length,
    findings: [],
  };
  for (const p of planned) {
    const path = p.operation.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
      encodeURIComponent(p.pathValues[name] ?? 'missing'),
    );
    const search = new URLSearchParams(p.query).toString();
    const url = search ? `${path}?${search}` : path;
    const headers: Record<string, string> = {};
    if (p.auth.kind === 'garbage') headers.authorization = p.auth.value;
    if (p.auth.kind === 'principal') {
      const index = p.auth.index;
      if (!tokens.has(index)) tokens.set(index, await target.token(target.principals[index]!));
      headers.authorization = `Bearer ${tokens.get(index)!}`;
    }
    if (p.idempotencyKey && p.operation.method === 'POST') headers['idempotency-key'] = p.idempotencyKey;
    let payload: string | undefined;
    if (p.body.kind === 'json') {
      payload = JSON.stringify(p.body.value ?? null);
      headers['content-type'] = 'application/json';
    } else if (p.body.kind === 'raw') {
      payload = p.body.value;
      headers['content-type'] = p.body.type;
    }
    const label = `${p.operation.method} ${url.length > 200 ? `${url.slice(0, 200)}…` : url} as ${p.auth.kind === 'principal' ? JSON.stringify(target.principals[p.auth.index]) : p.auth.kind}${payload === undefined ? '' : ` body ${payload.slice(0, 300)}`}`;
    const before = await target.head();
    const response = await target.inject({
      method: p.operation.method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const after = await target.head();
    report.requests += 1;
    report.byStatus[response.statusCode] = (report.byStatus[response.statusCode] ?? 0) + 1;
    const finding = (problem: string) => report.findings.push({ request: label, status: response.statusCode, problem });
    if (response.statusCode >= 500) finding('server error');
    if (response.statusCode >= 400) {
      const notProblem = isProblem(response.headers['content-type'], response.body);
      if (notProblem) finding(`error is not problem+json: ${notProblem}`);
      if (after !== before) finding(`a refused request wrote ${after - before} event(s)`);
    }
  }
  return report;
}

/** One line per figure, for the test log. */
export const formatFuzzReport = (service: string, report: FuzzReport): string =>
  `fuzz ${service}: seed ${report.seed} (replay with FUZZ_SEED=${report.seed}), ${report.requests} requests over ${report.operations} operations, statuses ${JSON.stringify(report.byStatus)}, findings ${report.findings.length}`;
