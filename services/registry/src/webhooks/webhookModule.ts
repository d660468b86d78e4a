import { topicFor } from '@estia/infra/bus/types.js';
import type { Clock } from '@estia/infra/clock/clock.js';
import { bool, int, str } from '@estia/infra/config/configSchema.js';
import type { StartConsumerOptions } from '@estia/infra/processors/consumer.js';
import { dueLag, loopProcessor } from '../application/loopProcessor.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import type { RegistryContext } from '../application/context.js';
import type { TargetPolicy } from '../domain/webhook/targetPolicy.js';
import { fanOutHandler, WEBHOOK_FANOUT_GROUP } from './fanOut.js';
import { startDeliveryProcessor, type DeliveryProcessor } from './deliveryProcessor.js';
import { createSender, type SenderOptions } from './sender.js';
import type { SecretBox } from './secretBox.js';
import { webhookHandlers, type Resolve } from './webhookHandlers.js';

/** The registry's webhook variables (README: Webhooks). */
export const webhookConfig = {
  WEBHOOK_ALLOW_HTTP: bool().withDefault(false),
  WEBHOOK_ALLOW_LOOPBACK: bool().withDefault(false),
  WEBHOOK_ALLOW_PRIVATE: bool().withDefault(false),
  WEBHOOK_TIMEOUT_MS: int({ min: 100, max: 60_000 }).withDefault(10_000),
  WEBHOOK_CONCURRENCY: int({ min: 1, max: 1_000 }).withDefault(64),
  WEBHOOK_SECRETS_KEY: str().optionalField(),
};

export const targetPolicyOf = (config: {
  WEBHOOK_ALLOW_HTTP: boolean;
  WEBHOOK_ALLOW_LOOPBACK: boolean;
  WEBHOOK_ALLOW_PRIVATE: boolean;
}): TargetPolicy => ({
  allowHttp: config.WEBHOOK_ALLOW_HTTP,
  allowLoopback: config.WEBHOOK_ALLOW_LOOPBACK,
  allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
});

export interface WebhookModuleOptions {
  ctx: RegistryContext;
  db: SqlDatabase;
  clock: Clock;
  secrets: SecretBox;
  policy: TargetPolicy;
  timeoutMs?: number;
  concurrency?: number;
  resolve?: Resolve;
  lookup?: SenderOptions['lookup'];
  /** Tells the organisation's admins that a subscription was disabled (e-mail). */
  tellAdmins?: (subscription: { id: string; organisationId: string; failingSince: string }) => Promise<void>;
  onError?: (error: unknown) => void;
  onAttempt?: Parameters<typeof startDeliveryProcessor>[0]['onAttempt'];
}

/**
 * Webhooks in the registry: subscription commands, the fan-out consumer over every service's public
 * topic (it owns who may see what) and the delivery processor. The processor is started by the
 * service once its projections and consumers run, and stopped before the database closes.
 */
export function webhookModule(options: WebhookModuleOptions) {
  const handlers = webhookHandlers(options.ctx, {
    secrets: options.secrets,
    policy: options.policy,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  let processor: DeliveryProcessor | undefined;
  let reportAttempts: ((count: number) => void) | undefined;
  const consumer: Omit<StartConsumerOptions, 'bus' | 'db' | 'logger'> = {
    group: WEBHOOK_FANOUT_GROUP,
    topics: [topicFor('registry'), topicFor('referrals'), topicFor('matching')],
    handle: fanOutHandler(options.clock, () => setTimeout(() => processor?.wake(), 1)),
    // From the start of the topics on the group's first run, so nothing published while the group was
    // being set up is skipped. A subscription gets the events fanned out once it exists.
    fromBeginning: true,
  };
  const start = (): DeliveryProcessor => {
    const sender = createSender({
      policy: options.policy,
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    });
    const running = startDeliveryProcessor({
      db: options.db,
      clock: options.clock,
      sender,
      secrets: options.secrets,
      concurrency: options.concurrency ?? 64,
      // A claim outlives the longest attempt, so only a crashed process's claims run out.
      claimMs: (options.timeoutMs ?? 10_000) * 2 + 1_000,
      onFailingTooLong: async (subscription) => {
        const result = await handlers.disable(
          subscription.id,
          'deliveries failed for 5 days without a success',
          subscription.failingSince,
        );
        if (result.events.length > 0) await options.tellAdmins?.(subscription);
      },
      onAttempt: (attempt) => {
        reportAttempts?.(1);
        options.onAttempt?.(attempt);
      },
      ...(options.onError ? { onError: options.onError } : {}),
    });
    processor = running;
    return {
      ...running,
      async stop() {
        await running.stop();
        sender.close();
      },
    };
  };
  /** The delivery processor under the service's supervised runtime: one replica sends (lease), lag in /ready. */
  const definition = loopProcessor({
    name: 'registry.webhook-delivery',
    start: (context) => {
      reportAttempts = (count) => context.processed(count);
      return start();
    },
    lag: () =>
      dueLag(
        options.db,
        `SELECT COUNT(*) AS n, MIN(d.next_attempt_at) AS oldest FROM webhook_deliveries d
         JOIN webhook_subscriptions s ON s.id = d.subscription_id
         WHERE d.status = 'pending' AND s.status = 'active' AND d.next_attempt_at <= $1`,
        options.clock(),
      ),
  });
  return {
    handlers,
    consumer,
    processor: definition,
    wake: () => processor?.wake(),
    state: () => processor?.state() ?? null,
    /** Starts the processor outside a runtime (tests, the benchmark). */
    start,
  };
}
