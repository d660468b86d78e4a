import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createHttpApp } from './createHttpApp.js';
import { createLogger } from './logger.js';

const appWith = async (security: Parameters<typeof createHttpApp>[0]['security']): Promise<FastifyInstance> => {
  const app = await createHttpApp({
    service: 'headers-test',
    logger: createLogger({ service: 'headers-test', level: 'silent' }),
    auth: false,
    rateLimit: false,
    ...(security ? { security } : {}),
  });
  app.get('/things', async () => ({ items: [] }));
  app.get('/directory', { config: { public: true, cacheable: true } }, async () => ({ items: [] }));
  await app.ready();
  return app;
};

describe('CORS by an allow-list, HSTS with TLS', () => {
  let open: FastifyInstance;
  let allowing: FastifyInstance;
  beforeAll(async () => {
    open = await appWith(undefined);
    allowing = await appWith({ corsOrigins: ['https://Partner.example.org/'], tls: true });
  });
  afterAll(async () => {
    await open?.close();
    await allowing?.close();
  });

  it('no allow-list: no CORS headers for any origin, not even on a preflight; no HSTS', async () => {
    const get = await open.inject({
      method: 'GET',
      url: '/things',
      headers: { origin: 'https://partner.example.org' },
    });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    expect(get.headers['strict-transport-security']).toBeUndefined();
    const preflight = await open.inject({
      method: 'OPTIONS',
      url: '/things',
      headers: { origin: 'https://partner.example.org', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('an allowed origin gets CORS on answers and its preflight; any other origin gets none', async () => {
    const get = await allowing.inject({
      method: 'GET',
      url: '/things',
      headers: { origin: 'https://partner.example.org' },
    });
    expect(get.headers['access-control-allow-origin']).toBe('https://partner.example.org');
    expect(String(get.headers.vary)).toMatch(/Origin/);
    const preflight = await allowing.inject({
      method: 'OPTIONS',
      url: '/things',
      headers: {
        origin: 'https://partner.example.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://partner.example.org');
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/Authorization/);
    for (const origin of [
      'https://evil.example',
      'http://partner.example.org',
      'https://partner.example.org.evil.example',
    ]) {
      const other = await allowing.inject({ method: 'GET', url: '/things', headers: { origin } });
      expect(other.headers['access-control-allow-origin'], origin).toBeUndefined();
      const otherPreflight = await allowing.inject({
        method: 'OPTIONS',
        url: '/things',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
      expect(otherPreflight.headers['access-control-allow-origin'], origin).toBeUndefined();
    }
  });

  it('TLS configured: HSTS on every answer, errors included', async () => {
    for (const url of ['/things', '/nowhere', '/things/%E0%A4%A'])
      expect((await allowing.inject({ method: 'GET', url })).headers['strict-transport-security'], url).toMatch(
        /max-age=\d+/,
      );
  });

  it('public reads may be cached, everything else is no-store; nosniff and frame-ancestors everywhere', async () => {
    const directory = await open.inject({ method: 'GET', url: '/directory' });
    expect(directory.headers['cache-control']).toBeUndefined();
    const things = await open.inject({ method: 'GET', url: '/things' });
    expect(things.headers['cache-control']).toBe('no-store');
    for (const answer of [directory, things]) {
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it('an origin that is not an http(s) origin is refused at start', async () => {
    await expect(appWith({ corsOrigins: ['javascript:alert(1)'] })).rejects.toThrow(/origin/);
  });
});
