import { randomUUID } from 'node:crypto';
import { loadOpenApi, type ServiceName } from '@estia/contracts';
import { expect, it } from 'vitest';
import { operationsOf, type OperationSecurity } from '../http/operationSecurity.js';

/**
 * The security table's frame, from the whole OpenAPI documents: every operation of a service is a row
 * key (`METHOD /path/:param`, as fastify names routes), so a service's table that misses an operation,
 * or names one the document does not have, fails naming it. The scope column is checked here for every
 * operation of every document; roles and relationships by each service's own rows.
 */
export const rowKey = (operation: Pick<OperationSecurity, 'method' | 'template'>): string =>
  `${operation.method} ${operation.template.replace(/\{(\w+)\}/g, ':$1')}`;

export const documentOperations = (api: ServiceName): OperationSecurity[] =>
  operationsOf(loadOpenApi(api) as unknown as Record<string, unknown>);

/** Every scope any operation of any document names. */
export const networkScopes = (): string[] =>
  [
    ...new Set(
      (['registry', 'referrals', 'matching', 'insights'] as const).flatMap((api) =>
        documentOperations(api).flatMap((op) => op.alternatives.flat()),
      ),
    ),
  ].sort();

/** The operations without a row and the rows without an operation; public rows must be public operations. */
export const tableCoverage = (
  api: ServiceName,
  table: Record<string, object>,
): { missing: string[]; unknown: string[]; publicMismatch: string[] } => {
  // Parameter names may differ between the document and the routes: rows match by the path's shape.
  const shape = (key: string): string => key.replace(/:\w+/g, ':_');
  const rows = new Map(Object.entries(table).map(([key, row]) => [shape(key), row]));
  const operations = documentOperations(api);
  const keys = new Set(operations.map((op) => shape(rowKey(op))));
  return {
    missing: operations.map(rowKey).filter((key) => !rows.has(shape(key))),
    unknown: Object.keys(table).filter((key) => !keys.has(shape(key))),
    publicMismatch: operations
      .filter((op) => rows.has(shape(rowKey(op))))
      .filter((op) => op.public !== ((rows.get(shape(rowKey(op))) as { public?: unknown }).public === true))
      .map(rowKey),
  };
};

export interface ScopeTarget {
  inject(request: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    payload?: string;
  }): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>;
  /** A valid token of this service's audience carrying exactly these scopes (and every role it needs). */
  token(scopes: readonly string[]): Promise<string>;
  /** The event log's head: a refused request writes nothing. */
  head(): Promise<number>;
}

const concrete = (template: string): string => template.replace(/\{\w+\}/g, () => randomUUID());

/**
 * The scope column for every operation of a document: no token → 401; a token holding every scope of
 * the network but the operation's → 403 insufficient_scope with the RFC 6750 challenge, nothing written;
 * a token holding one alternative of its requirement passes the scope check (whatever the role and
 * relationship rows then decide). Public operations answer without a token.
 */
export const scopeColumnSpecs = (api: ServiceName, target: () => ScopeTarget): void => {
  const operations = documentOperations(api);
  const all = networkScopes();
  const guarded = operations.filter((op) => !op.public);
  const open = operations.filter((op) => op.public);

  it('the document has secured operations, each naming scopes', () => {
    expect(guarded.length).toBeGreaterThan(0);
    expect(guarded.filter((op) => op.alternatives.every((a) => a.length === 0)).map(rowKey)).toEqual([]);
  });

  it.each(guarded.map((op) => [rowKey(op), op] as const))(
    '%s: 401, 403 insufficient_scope, scope passes',
    async (_key, op) => {
      const t = target();
      const url = concrete(op.template);
      const send = async (token?: string) =>
        t.inject({
          method: op.method,
          url,
          headers: {
            ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
            'content-type': 'application/json',
            'idempotency-key': randomUUID(),
            'if-match': '"0"',
          },
          ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { payload: '{}' }),
        });
      const before = await t.head();
      expect((await send()).statusCode).toBe(401);
      const needed = new Set(op.alternatives.flat());
      const lacking = await send(await t.token(all.filter((s) => !needed.has(s))));
      expect(lacking.statusCode, lacking.body).toBe(403);
      expect(JSON.parse(lacking.body).code).toBe('INSUFFICIENT_SCOPE');
      expect(String(lacking.headers['www-authenticate'])).toMatch(/error="insufficient_scope"/);
      expect(await t.head()).toBe(before);
      for (const alternative of op.alternatives) {
        const holding = await send(await t.token(alternative));
        const code = holding.statusCode === 403 ? (JSON.parse(holding.body) as { code?: string }).code : undefined;
        expect(code, `${alternative.join(' ')}: ${holding.body}`).not.toBe('INSUFFICIENT_SCOPE');
        expect(holding.statusCode, holding.body).toBeLessThan(500);
      }
    },
  );

  it.each(open.map((op) => [rowKey(op), op] as const))(
    '%s is public: no 401 or 403 without a token',
    async (_key, op) => {
      const answer = await target().inject({
        method: op.method,
        url: concrete(op.template),
        headers: { 'content-type': 'application/json' },
        ...(op.method === 'GET' ? {} : { payload: '{}' }),
      });
      expect([401, 403], answer.body).not.toContain(answer.statusCode);
      expect(answer.statusCode, answer.body).toBeLessThan(500);
    },
  );
};
