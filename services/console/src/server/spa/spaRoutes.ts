import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

export interface SpaRoutesOptions {
  /** The built single-page app (vite's outDir). */
  distDir: string;
}

/**
 * The built page: hashed assets cached for a year, every other GET outside /api answered with
 * index.html so that deep links (/clients/…) load the app, which then routes.
 */
export const spaRoutes: FastifyPluginAsync<SpaRoutesOptions> = async (app, options) => {
  const index = readFileSync(join(options.distDir, 'index.html'));
  await app.register(fastifyStatic, {
    root: options.distDir,
    wildcard: false,
    index: false,
    setHeaders: (res, path) => {
      res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendIndex = async (_request: unknown, reply: FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index);
  app.get('/', sendIndex);
  app.get('/*', async (request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/assets/')) return reply.callNotFound();
    return sendIndex(request, reply);
  });
};
