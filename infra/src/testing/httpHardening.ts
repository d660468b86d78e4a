import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';

/**
 * The framework's own answers and the headers of every answer, checked on a real service app: each
 * service's spec calls this with its app, so a service that skipped the shared kit (or a kit change
 * that broke one) fails there.
 */
export interface HardeningTarget {
  inject(request: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    payload?: string;
  }): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }>;
  /** Headers of a caller allowed to use `write` and `list` (a bearer token). */
  auth: () => Promise<Record<string, string>>;
  /** A JSON-body operation the caller may call, and how to put a text into one of its string fields. */
  write?: { method: string; url: string; body: (text: string) => unknown; pointer: string };
  /** A list operation and its paging parameter with the maximum the contract gives it. */
  list?: { url: string; parameter: string; maximum: number };
  /** A route with a path parameter, given a malformed percent-encoding there. */
  badUrl?: string;
  /** A path that exists, asked with a method it does not have. */
  wrongMethod: { method: string; url: string };
  /** Whether `list` is a public read (cacheable) or not (no-store). */
  listIsPublic?: boolean;
  /** An authenticated read (the list, or any GET) whose headers are checked. */
  read: string;
}

const isProblem = (answer: { headers: Record<string, unknown>; body: string }, status: number, code?: string) => {
  expect(String(answer.headers['content-type'])).toMatch(/^application\/problem\+json/);
  const problem = JSON.parse(answer.body) as { status: number; code: string; errors?: { pointer: string }[] };
  expect(problem.status).toBe(status);
  if (code !== undefined) expect(problem.code).toBe(code);
  return problem;
};

export const hardeningSpecs = (
  target: () => HardeningTarget,
  parts: { write: boolean; list: boolean; badUrl: boolean },
): void => {
  const t = () => target();
  const send = async (request: Parameters<HardeningTarget['inject']>[0]) => t().inject(request);

  it('414 for an overlong URL, as problem+json', async () => {
    const answer = await send({ method: 'GET', url: `${t().read}?q=${'x'.repeat(9_000)}`, headers: await t().auth() });
    expect(answer.statusCode).toBe(414);
    isProblem(answer, 414, 'URI_TOO_LONG');
  });

  it.runIf(parts.badUrl)('400 for a malformed URL (bad percent-encoding), as problem+json', async () => {
    const answer = await send({ method: 'GET', url: t().badUrl!, headers: await t().auth() });
    expect(answer.statusCode).toBe(400);
    isProblem(answer, 400);
  });

  it.runIf(parts.write)(
    '413 above the body limit, 415 for a content type other than JSON, 400 for a body that is not JSON',
    async () => {
      const { method, url } = t().write!;
      const headers = { ...(await t().auth()), 'content-type': 'application/json' };
      const big = await send({ method, url, headers, payload: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }) });
      expect(big.statusCode).toBe(413);
      isProblem(big, 413, 'PAYLOAD_TOO_LARGE');
      const text = await send({ method, url, headers: { ...headers, 'content-type': 'text/plain' }, payload: 'hello' });
      expect(text.statusCode).toBe(415);
      isProblem(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const broken = await send({ method, url, headers, payload: '{"name": ' });
      expect(broken.statusCode).toBe(400);
      expect(isProblem(broken, 400).errors?.[0]?.pointer).toBe('/body');
    },
  );

  it('404 for an unknown route, 405 with Allow for a known path asked with another method', async () => {
    const missing = await send({ method: 'GET', url: '/no/such/route', headers: await t().auth() });
    expect(missing.statusCode).toBe(404);
    isProblem(missing, 404, 'NOT_FOUND');
    const wrong = await send({ ...t().wrongMethod, headers: await t().auth() });
    expect(wrong.statusCode).toBe(405);
    isProblem(wrong, 405, 'METHOD_NOT_ALLOWED');
    expect(String(wrong.headers.allow)).toMatch(/[A-Z]+/);
  });

  it.runIf(parts.list)('400 naming the paging parameter above its maximum (also for a 64-bit number)', async () => {
    const { url, parameter, maximum } = t().list!;
    for (const value of [String(maximum + 1), '9223372036854775807', '100000']) {
      const answer = await send({ method: 'GET', url: `${url}?${parameter}=${value}`, headers: await t().auth() });
      expect(answer.statusCode, `${parameter}=${value}`).toBe(400);
      expect(isProblem(answer, 400).errors?.map((e) => e.pointer)).toContain(`/querystring/${parameter}`);
    }
  });

  it.runIf(parts.write)(
    '422 naming the field for a NUL, a C1 control or a bidi override or isolate in a text',
    async () => {
      const { method, url, body, pointer } = t().write!;
      for (const bad of ['Ali\u0000', 'Ali\u0085', 'Ali\u202eila', 'a\u2066b\u2069', 'x\u001b[31m']) {
        const answer = await send({
          method,
          url,
          headers: { ...(await t().auth()), 'content-type': 'application/json', 'idempotency-key': randomUUID() },
          payload: JSON.stringify(body(bad)),
        });
        expect(answer.statusCode, JSON.stringify(bad)).toBe(422);
        expect(isProblem(answer, 422, 'UNSAFE_TEXT').errors?.map((e) => e.pointer)).toContain(pointer);
      }
    },
  );

  it('every answer carries nosniff, frame-ancestors none, and no-store unless it is a public read', async () => {
    const answers = [
      await send({ method: 'GET', url: t().read, headers: await t().auth() }),
      await send({ method: 'GET', url: '/no/such/route' }),
      await send({ method: 'GET', url: '/health' }),
      ...(parts.badUrl ? [await send({ method: 'GET', url: t().badUrl! })] : []),
    ];
    for (const [i, answer] of answers.entries()) {
      expect(answer.headers['x-content-type-options'], `answer ${i}`).toBe('nosniff');
      expect(String(answer.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      // No CORS unless an origin is allow-listed (none is, by default), no HSTS without TLS.
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.headers['strict-transport-security']).toBeUndefined();
    }
    expect(answers[0]!.headers['cache-control'] === 'no-store').toBe(t().listIsPublic !== true);
    for (const answer of answers.slice(1)) expect(answer.headers['cache-control']).toBe('no-store');
    const docs = await send({ method: 'GET', url: '/openapi.json' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['cache-control']).toBeUndefined();
  });

  it('a preflight from anywhere gets no CORS headers by default', async () => {
    const answer = await send({
      method: 'OPTIONS',
      url: t().read,
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });
};
