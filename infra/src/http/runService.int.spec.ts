import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createHttpApp } from './createHttpApp.js';
import { createLogger } from './logger.js';
import { runService } from './runService.js';

const get = (url: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });

describe('runService (real listen)', () => {
  it('serves over TCP, then on SIGTERM drains the in-flight request and closes in reverse order', async () => {
    const app = await createHttpApp({
      service: 'test',
      logger: createLogger({ service: 'test', level: 'silent' }),
      auth: false,
      rateLimit: false,
    });
    let release!: () => void;
    const slowGate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inSlow = new Promise<void>((resolve) => (entered = resolve));
    app.get('/slow', { config: { public: true } }, async () => {
      entered();
      await slowGate;
      return { finished: true };
    });
    const order: string[] = [];
    // Server side: the response to /slow has been written out completely.
    let slowDone = false;
    app.addHook('onResponse', async (request) => {
      if (request.url === '/slow') slowDone = true;
    });
    const exits: number[] = [];
    const service = await runService({
      app,
      port: 0,
      closers: [
        { name: 'store', close: async () => void order.push(`store (slow done: ${slowDone})`) },
        { name: 'relay', close: async () => void order.push('relay') },
        { name: 'consumers', close: async () => void order.push('consumers') },
      ],
      exit: (code) => void exits.push(code),
    });

    const health = await get(`${service.url}/health`);
    expect(health.status).toBe(200);
    expect(health.headers['x-request-id']).toBeTruthy();

    const slow = get(`${service.url}/slow`);
    await inSlow;
    process.emit('SIGTERM');
    // Shutdown has begun: readiness is withdrawn while the slow request is still running.
    expect(app.lifecycle.accepting).toBe(false);
    expect(order).toEqual([]);
    // The listener closes asynchronously; new connections must end up refused while /slow still runs.
    let refused: unknown;
    for (let attempt = 0; attempt < 200 && refused === undefined; attempt++) {
      refused = await get(`${service.url}/health`).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (refused === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(String(refused)).toMatch(/ECONNREFUSED/);
    expect(slowDone).toBe(false);
    release();
    const finished = await slow;
    expect(finished.status).toBe(200);
    expect(JSON.parse(finished.body)).toEqual({ finished: true });
    const code = await service.shutdown();
    expect(code).toBe(0);
    expect(order).toEqual(['consumers', 'relay', 'store (slow done: true)']);
    expect(exits).toEqual([0]);
    expect(process.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits with 1 when a closer fails, still closing the others', async () => {
    const app = await createHttpApp({
      service: 'test',
      logger: createLogger({ service: 'test', level: 'silent' }),
      auth: false,
      rateLimit: false,
    });
    const closed: string[] = [];
    const exits: number[] = [];
    const service = await runService({
      app,
      port: 0,
      signals: [],
      closers: [
        { name: 'a', close: () => void closed.push('a') },
        {
          name: 'b',
          close: () => {
            throw new Error('b failed');
          },
        },
      ],
      exit: (code) => void exits.push(code),
    });
    expect(await service.shutdown('test')).toBe(1);
    expect(closed).toEqual(['a']);
    expect(exits).toEqual([1]);
  });

  it('a shutdown because something broke exits non-zero though everything closed cleanly', async () => {
    const app = await createHttpApp({
      service: 'test',
      logger: createLogger({ service: 'test', level: 'silent' }),
      auth: false,
      rateLimit: false,
    });
    const exits: number[] = [];
    const service = await runService({ app, port: 0, signals: [], exit: (code) => void exits.push(code) });
    expect(await service.shutdown('bootstrapping failed', 1)).toBe(1);
    expect(exits).toEqual([1]);
  });

  it('closes the closers when listening fails', async () => {
    const first = await createHttpApp({
      service: 'test',
      logger: createLogger({ service: 'test', level: 'silent' }),
      auth: false,
      rateLimit: false,
    });
    const running = await runService({ app: first, port: 0, signals: [], exit: () => undefined });
    const port = Number(new URL(running.url).port);
    const second = await createHttpApp({
      service: 'test',
      logger: createLogger({ service: 'test', level: 'silent' }),
      auth: false,
      rateLimit: false,
    });
    const closed: string[] = [];
    await expect(
      runService({
        app: second,
        port,
        signals: [],
        closers: [{ name: 'store', close: () => void closed.push('store') }],
        exit: () => undefined,
      }),
    ).rejects.toThrow(/EADDRINUSE/);
    expect(closed).toEqual(['store']);
    await running.shutdown();
  });
});
