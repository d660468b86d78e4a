import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/appError.js';

/** Longer request targets are refused with 414 before anything parses them (node's own cap is 16 KiB). */
export const MAX_URL_LENGTH = 8 * 1024;

const patternOf = (template: string): RegExp =>
  new RegExp(
    `^${template
      .split('/')
      .map((segment) =>
        segment === '*'
          ? '.*'
          : segment.startsWith(':')
            ? '[^/]+'
            : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*$/, '.*'),
      )
      .join('/')}/?$`,
  );

/**
 * Collects every route's template as it is registered, so the 404 handler can tell a path that exists
 * with other methods (405 with `Allow`) from one that does not; and refuses overlong URLs with 414.
 * Register before any route.
 */
export const registerRouteFallbacks = (app: FastifyInstance): ((path: string) => readonly string[]) => {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat().filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
    if (methods.length > 0) routes.push({ pattern: patternOf(route.url), methods });
  });
  app.addHook('onRequest', async (request) => {
    if (request.url.length > MAX_URL_LENGTH)
      throw new AppError('URI_TOO_LONG', `The URL is longer than ${MAX_URL_LENGTH} characters`);
  });
  return (path) => {
    let decoded: string;
    try {
      decoded = decodeURI(path);
    } catch {
      return [];
    }
    const methods = new Set<string>();
    for (const route of routes) if (route.pattern.test(decoded)) for (const m of route.methods) methods.add(m);
    return [...methods].sort();
  };
};
