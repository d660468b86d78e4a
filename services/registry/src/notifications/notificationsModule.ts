import { join } from 'node:path';
import { topicFor } from '@estia/infra/bus/types.js';
import type { Clock } from '@estia/infra/clock/clock.js';
import { str } from '@estia/infra/config/configSchema.js';
import type { StartConsumerOptions } from '@estia/infra/processors/consumer.js';
import { dueLag, loopProcessor } from '../application/loopProcessor.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { enqueueNotice, NOTIFICATIONS_GROUP, notificationsHandler } from './enqueue.js';
import { createMailer } from './mailer.js';
import { startMailProcessor, type MailProcessor } from './mailProcessor.js';

/** The registry's e-mail variables (README: E-mail notifications). */
export const notificationConfig = {
  SMTP_URL: str().optionalField(),
  MAIL_FROM: str().withDefault('ESTIA network <no-reply@estia.invalid>'),
  /** Where the console runs: the links in e-mails point there. */
  CONSOLE_URL: str().withDefault('http://127.0.0.1:3000'),
};

/**
 * E-mail notifications for people: a consumer of the public events that concern them queues notices
 * per person and preference; a processor sends them (SMTP, or .eml files under DATA_DIR/mail).
 */
export function notificationsModule(options: {
  db: SqlDatabase;
  clock: Clock;
  dataDir: string;
  smtpUrl?: string | undefined;
  from: string;
  consoleUrl: string;
  onError?: (error: unknown) => void;
}) {
  let processor: MailProcessor | undefined;
  const consumer: Omit<StartConsumerOptions, 'bus' | 'db' | 'logger'> = {
    group: NOTIFICATIONS_GROUP,
    topics: [topicFor('registry'), topicFor('referrals'), topicFor('matching')],
    handle: notificationsHandler(options.clock, options.consoleUrl, () => setTimeout(() => processor?.wake(), 1)),
    fromBeginning: false,
  };
  const start = (): MailProcessor => {
    processor = startMailProcessor({
      db: options.db,
      clock: options.clock,
      mailer: createMailer({ smtpUrl: options.smtpUrl, mailDir: join(options.dataDir, 'mail'), from: options.from }),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    return processor;
  };
  /** The mail processor under the service's supervised runtime (one replica sends; lag in /ready). */
  const definition = loopProcessor({
    name: 'registry.notification-mail',
    start,
    lag: () =>
      dueLag(
        options.db,
        'SELECT COUNT(*) AS n, MIN(due_at) AS oldest FROM notification_outbox WHERE sent_at IS NULL AND due_at <= $1',
        options.clock(),
      ),
  });
  return {
    consumer,
    processor: definition,
    /** Tells an organisation's admins that one of its webhook subscriptions was disabled. */
    async webhookDisabled(subscription: { id: string; organisationId: string; failingSince: string }) {
      await options.db.transaction((tx) =>
        enqueueNotice(
          tx,
          {
            organisationId: subscription.organisationId,
            kind: 'webhook-disabled',
            reference: subscription.id,
            path: '/webhooks',
          },
          {
            causeId: `webhook-disabled:${subscription.id}:${subscription.failingSince}`,
            now: options.clock(),
            consoleUrl: options.consoleUrl,
          },
        ),
      );
      processor?.wake();
    },
    /** Starts the processor outside a runtime (tests). */
    start,
  };
}
