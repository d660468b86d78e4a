import type { FastifyInstance } from 'fastify';
import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from './metrics.js';

/**
 * `GET /metrics` (Prometheus text format, unauthenticated like /ready: bind it to an internal network)
 * and the HTTP request latency histogram `estia_http_request_duration_seconds{method,route,status}`. The
 * route label is the route's pattern (`/v1/clients/:id`), never the URL, so no id reaches a label;
 * unmatched requests count under `route="(unmatched)"`.
 */
export function registerMetrics(app: FastifyInstance, registry: MetricsRegistry = new MetricsRegistry()): void {
  const latency = registry.histogram(
    'estia_http_request_duration_seconds',
    'HTTP request latency by method, route pattern and status code.',
  );
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? '(unmatched)';
    if (route === '/metrics') return;
    latency.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { public: true, rateLimit: false } }, async (_request, reply) =>
    reply.type(PROMETHEUS_CONTENT_TYPE).send(await registry.render()),
  );
}
