import type { FastifyPluginAsync } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { AppError } from '@estia/infra/errors/appError.js';

/** What the receiver page shows of one delivery: the Standard Webhooks headers and the public event. */
export interface ReceivedDelivery {
  webhookId: string;
  receivedAt: string;
  verified: boolean;
  /** Why the signature did not verify (wrong secret, stale timestamp), if it did not. */
  error: string | null;
  eventType: string | null;
  eventId: string | null;
  subject: string | null;
  body: string;
}

export interface DemoReceiverOptions {
  /** The demo subscription's signing secret (`whsec_…`). */
  secret: string;
  /** Deliveries kept, newest first (default 100). Memory only: the console keeps no data. */
  keep?: number;
}

/**
 * The demo network's built-in webhook receiver: `POST /demo-receiver/webhooks` is the URL of the
 * first organisation's subscription; it verifies each delivery as a partner's system would (Standard
 * Webhooks, the library's own verify) and answers 204, or a 400 problem when the signature does not verify.
 * `GET /api/demo-receiver` lists what arrived for the signed-in page. Bodies are public events
 * (identifiers only), so nothing personal is held, and only in memory.
 */
export const demoReceiverRoutes: FastifyPluginAsync<DemoReceiverOptions> = async (app, options) => {
  const webhook = new Webhook(options.secret);
  const keep = options.keep ?? 100;
  const received: ReceivedDelivery[] = [];

  await app.register(async (scope) => {
    // The signature is over the exact bytes: take the body as text.
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post('/demo-receiver/webhooks', { bodyLimit: 256 * 1024 }, async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const header = (name: string) => String(request.headers[name] ?? '');
      const headers = {
        'webhook-id': header('webhook-id'),
        'webhook-timestamp': header('webhook-timestamp'),
        'webhook-signature': header('webhook-signature'),
      };
      let verified = true;
      let error: string | null = null;
      try {
        webhook.verify(body, headers);
      } catch (e) {
        verified = false;
        error = e instanceof Error ? e.message : String(e);
      }
      let event: { type?: unknown; id?: unknown; subject?: unknown } = {};
      try {
        event = JSON.parse(body) as typeof event;
      } catch {
        // shown as it came
      }
      // A redelivery of the same webhook-id replaces the earlier entry: receivers de-duplicate by it.
      const earlier = received.findIndex((r) => r.webhookId === headers['webhook-id']);
      if (earlier >= 0) received.splice(earlier, 1);
      received.unshift({
        webhookId: headers['webhook-id'],
        receivedAt: new Date().toISOString(),
        verified,
        error,
        eventType: typeof event.type === 'string' ? event.type : null,
        eventId: typeof event.id === 'string' ? event.id : null,
        subject: typeof event.subject === 'string' ? event.subject : null,
        body: body.slice(0, 4_096),
      });
      received.splice(keep);
      if (!verified)
        throw new AppError('VALIDATION_FAILED', `webhook signature does not verify: ${error ?? ''}`, {
          errors: [{ pointer: '/headers/webhook-signature', detail: error ?? 'does not verify' }],
        });
      return reply.code(204).send();
    });
  });

  app.get('/api/demo-receiver', async (request) => {
    if (!request.session) throw new AppError('UNAUTHENTICATED', 'Your session has ended: sign in again');
    return { items: received };
  });
};
