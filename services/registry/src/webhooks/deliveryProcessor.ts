import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { Clock } from '@estia/infra/clock/clock.js';
import type { SqlDatabase, SqlExecutor } from '@estia/infra/sql/types.js';
import { Waker } from '@estia/infra/bus/wakeableSleep.js';
import { backoffDelay } from '@estia/infra/processors/backoff.js';
import { failedTooLong, nextAttemptAt } from '../domain/webhook/retrySchedule.js';
import type { SecretBox } from './secretBox.js';
import type { Sender, SendOutcome } from './sender.js';

interface DueDelivery {
  id: string;
  subscription_id: string;
  event_id: string;
  attempts: number | string;
  manual: number | string;
  enqueued_at_ms: number | string;
  organisation_id: string;
  url: string;
  sealed_secret: string;
  previous_sealed_secret: string | null;
  previous_secret_expires_at: string | null;
  body: string;
}

interface Outcome {
  delivery: DueDelivery;
  attemptedAt: Date;
  result: SendOutcome;
}

export interface DeliveryProcessorOptions {
  db: SqlDatabase;
  clock: Clock;
  sender: Sender;
  secrets: SecretBox;
  /** Deliveries in flight at once. Default 64. */
  concurrency?: number;
  /** How long a claimed delivery stays with this process before another may take it (default 30 s). */
  claimMs?: number;
  /** Longest idle wait before looking for due deliveries again (default 100 ms). */
  idleMs?: number;
  /** A subscription failed for too long: disable it and tell its organisation's admins. */
  onFailingTooLong: (subscription: { id: string; organisationId: string; failingSince: string }) => Promise<void>;
  /** Each finished attempt (the benchmark measures event-to-delivery latency with it). */
  onAttempt?: (attempt: { deliveryId: string; status: number | null; enqueuedAtMs: number }) => void;
  onError?: (error: unknown) => void;
}

export interface DeliveryProcessor {
  /** Looks for due deliveries now (after the fan-out enqueued some). */
  wake(): void;
  /** Attempts made, in flight, last error: for /ready and operators. */
  state(): { attempts: number; inFlight: number; lastError: string | null };
  /** Stops claiming, lets the attempts in flight finish and records them. */
  stop(): Promise<void>;
}

const SUCCESS = (status: number | null) => status !== null && status >= 200 && status < 300;

/** Headers for one attempt; during a rotation's overlap both secrets sign (receivers accept either). */
export function signDelivery(
  secrets: (string | Webhook)[],
  webhookId: string,
  at: Date,
  body: string,
): { 'webhook-id': string; 'webhook-timestamp': string; 'webhook-signature': string } {
  const signatures = secrets.map((secret) =>
    (typeof secret === 'string' ? new Webhook(secret) : secret).sign(webhookId, at, body),
  );
  return {
    'webhook-id': webhookId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

const CHUNK_SIZES = [64, 16, 4, 1] as const;

/** Splits a list into chunks of a few fixed sizes (64, 16, 4, 1), largest first. */
export function fixedChunks<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let i = 0;
  for (const size of CHUNK_SIZES)
    while (items.length - i >= size) {
      chunks.push(items.slice(i, i + size));
      i += size;
    }
  return chunks;
}

/**
 * Sends the pending deliveries: claims due ones (a lease, so one process sends each and a crashed
 * process's claims run out and are taken again: at least once), signs them with Standard Webhooks,
 * sends, and records every attempt; a failure is rescheduled on the Standard Webhooks schedule, and a
 * subscription failing for five days is handed to `onFailingTooLong`. Time comes from the injected clock.
 */
export function startDeliveryProcessor(options: DeliveryProcessorOptions): DeliveryProcessor {
  const { db, clock, sender, secrets } = options;
  const concurrency = options.concurrency ?? 64;
  const claimMs = options.claimMs ?? 30_000;
  const idleMs = options.idleMs ?? 100;
  const token = randomUUID();
  const waker = new Waker();
  let stopped = false;
  let inFlight = 0;
  let attempts = 0;
  let lastError: string | null = null;
  const outcomes: Outcome[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const sends = new Set<Promise<void>>();

  // Opening a sealed secret (AES-GCM) and keying its HMAC once per subscription and secret, not once
  // per delivery: a rotation seals a new value, so the cache key changes with it.
  const signers = new Map<string, Webhook>();
  const signerFor = (subscriptionId: string, sealed: string): Webhook => {
    const key = `${subscriptionId}\n${sealed}`;
    let signer = signers.get(key);
    if (!signer) {
      if (signers.size >= 1_000) signers.clear();
      signer = new Webhook(secrets.open(subscriptionId, sealed));
      signers.set(key, signer);
    }
    return signer;
  };

  const claim = async (limit: number): Promise<DueDelivery[]> => {
    const now = clock().toISOString();
    const until = new Date(clock().getTime() + claimMs).toISOString();
    const claimToken = `${token}:${randomUUID()}`;
    // UPDATE … FROM a materialised page of due ids, each row then found by its key: written as
    // `WHERE id IN (page) AND status = 'pending'`, SQLite walks every pending delivery by the status
    // index and tests it against the page, so a backlog made each claim slower than the last.
    await db.execute(
      `UPDATE webhook_deliveries AS w SET claimed_until = $1, claim_token = $2
       FROM (
         SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
         WHERE d.status = 'pending' AND s.status = 'active' AND d.next_attempt_at <= $3
           AND (d.claimed_until IS NULL OR d.claimed_until < $3)
         ORDER BY d.next_attempt_at LIMIT ${Math.max(1, Math.floor(limit))}) AS due
       WHERE w.id = due.id AND w.status = 'pending' AND (w.claimed_until IS NULL OR w.claimed_until < $3)`,
      [until, claimToken, now],
    );
    return db.query<DueDelivery>(
      `SELECT d.id, d.subscription_id, d.event_id, d.attempts, d.manual, d.enqueued_at_ms, s.organisation_id, s.url,
         s.sealed_secret, s.previous_sealed_secret, s.previous_secret_expires_at, m.body
       FROM webhook_deliveries d
       JOIN webhook_subscriptions s ON s.id = d.subscription_id
       JOIN webhook_messages m ON m.event_id = d.event_id
       WHERE d.claim_token = $1`,
      [claimToken],
    );
  };

  const attempt = async (delivery: DueDelivery): Promise<Outcome> => {
    const attemptedAt = clock();
    const keys = [signerFor(delivery.subscription_id, delivery.sealed_secret)];
    if (
      delivery.previous_sealed_secret &&
      delivery.previous_secret_expires_at &&
      delivery.previous_secret_expires_at > attemptedAt.toISOString()
    )
      keys.push(signerFor(delivery.subscription_id, delivery.previous_sealed_secret));
    const headers = signDelivery(keys, delivery.id, attemptedAt, delivery.body);
    const result = await sender({ url: delivery.url, headers, body: delivery.body });
    return { delivery, attemptedAt, result };
  };

  /** Records one failed attempt: rescheduled (or failed for good) and the subscription's health. */
  const recordFailure = async (tx: SqlExecutor, { delivery, attemptedAt, result }: Outcome) => {
    const made = Number(delivery.attempts) + 1;
    const manual = Number(delivery.manual) === 1;
    const at = attemptedAt.toISOString();
    await tx.execute(
      `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, response_excerpt, error, manual)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (delivery_id, attempt) DO NOTHING`,
      [delivery.id, made, at, result.status, result.latencyMs, result.excerpt, result.error, manual ? 1 : 0],
    );
    // A manual redelivery is one extra attempt: it does not restart the schedule.
    const next = manual ? null : nextAttemptAt(made, attemptedAt);
    await tx.execute(
      `UPDATE webhook_deliveries SET status = $2, attempts = $3, next_attempt_at = $4, claimed_until = NULL,
         claim_token = NULL, manual = 0 WHERE id = $1`,
      [delivery.id, next === null ? 'failed' : 'pending', made, next?.toISOString() ?? null],
    );
    await tx.execute(
      `INSERT INTO webhook_health (subscription_id, failing_since, last_success_at) VALUES ($1, $2, NULL)
       ON CONFLICT (subscription_id) DO UPDATE SET failing_since = COALESCE(webhook_health.failing_since, excluded.failing_since)`,
      [delivery.subscription_id, at],
    );
    const health = await tx.query<{ failing_since: string | null }>(
      'SELECT failing_since FROM webhook_health WHERE subscription_id = $1',
      [delivery.subscription_id],
    );
    const since = health[0]?.failing_since ?? null;
    return since !== null && failedTooLong(new Date(since), attemptedAt)
      ? { id: delivery.subscription_id, organisationId: delivery.organisation_id, failingSince: since }
      : null;
  };

  /**
   * Records successful attempts with a few statements per batch instead of three per delivery: the
   * attempts in multi-row inserts, the deliveries in one update per attempt count, each
   * subscription's health once. Chunks of fixed sizes keep the set of prepared statements small.
   */
  const recordSuccesses = async (tx: SqlExecutor, batch: readonly Outcome[]): Promise<void> => {
    for (const chunk of fixedChunks(batch)) {
      const values: unknown[] = [];
      const rows = chunk.map(({ delivery, attemptedAt, result }, i) => {
        values.push(
          delivery.id,
          Number(delivery.attempts) + 1,
          attemptedAt.toISOString(),
          result.status,
          result.latencyMs,
          result.excerpt,
          result.error,
          Number(delivery.manual) === 1 ? 1 : 0,
        );
        return `(${Array.from({ length: 8 }, (_, j) => `$${i * 8 + j + 1}`).join(', ')})`;
      });
      await tx.execute(
        `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, response_excerpt, error, manual)
         VALUES ${rows.join(', ')} ON CONFLICT (delivery_id, attempt) DO NOTHING`,
        values,
      );
    }
    const byAttempts = new Map<number, string[]>();
    for (const { delivery } of batch) {
      const made = Number(delivery.attempts) + 1;
      byAttempts.set(made, [...(byAttempts.get(made) ?? []), delivery.id]);
    }
    for (const [made, ids] of byAttempts)
      for (const chunk of fixedChunks(ids))
        await tx.execute(
          `UPDATE webhook_deliveries SET status = 'succeeded', attempts = $1, next_attempt_at = NULL, claimed_until = NULL,
             claim_token = NULL, manual = 0 WHERE id IN (${chunk.map((_, i) => `$${i + 2}`).join(', ')})`,
          [made, ...chunk],
        );
    const lastSuccess = new Map<string, string>();
    for (const { delivery, attemptedAt } of batch) {
      const at = attemptedAt.toISOString();
      if ((lastSuccess.get(delivery.subscription_id) ?? '') < at) lastSuccess.set(delivery.subscription_id, at);
    }
    for (const [subscriptionId, at] of lastSuccess)
      await tx.execute(
        `INSERT INTO webhook_health (subscription_id, failing_since, last_success_at) VALUES ($1, NULL, $2)
         ON CONFLICT (subscription_id) DO UPDATE SET failing_since = NULL, last_success_at = excluded.last_success_at`,
        [subscriptionId, at],
      );
  };

  /** Records the finished attempts, many per transaction (one commit, one fsync): one flush at a time. */
  let flushScheduled = false;
  const flushBatch = async (): Promise<void> => {
    const batch = outcomes.splice(0, outcomes.length);
    if (batch.length === 0) return;
    const failing = new Map<string, { id: string; organisationId: string; failingSince: string }>();
    await db.transaction(async (tx) => {
      await recordSuccesses(
        tx,
        batch.filter((o) => SUCCESS(o.result.status)),
      );
      // Failures are rare and each may change the subscription's health: one at a time, in order.
      for (const outcome of batch.filter((o) => !SUCCESS(o.result.status))) {
        const tooLong = await recordFailure(tx, outcome);
        if (tooLong) failing.set(tooLong.id, tooLong);
      }
    });
    attempts += batch.length;
    for (const o of batch)
      options.onAttempt?.({
        deliveryId: o.delivery.id,
        status: o.result.status,
        enqueuedAtMs: Number(o.delivery.enqueued_at_ms),
      });
    for (const subscription of failing.values()) await options.onFailingTooLong(subscription);
  };
  // After the I/O phase (setImmediate), so every answer that arrived meanwhile joins the same commit.
  const flush = (): void => {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushing = flushing
        .then(async () => {
          flushScheduled = false;
          await flushBatch();
        })
        .catch((error) => {
          lastError = String(error);
          options.onError?.(error);
        });
    });
  };

  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!stopped) {
      try {
        // Claims in batches (each claim is a commit): when at least half the slots are free.
        const free = concurrency - inFlight;
        const claimed = free >= Math.ceil(concurrency / 2) ? await claim(free) : [];
        for (const delivery of claimed) {
          inFlight += 1;
          const send: Promise<void> = attempt(delivery)
            .then(
              (outcome) => void outcomes.push(outcome),
              (error) => {
                // Could not even build the request (a secret that does not open): the claim runs out, retried later.
                lastError = String(error);
                options.onError?.(error);
              },
            )
            .finally(() => {
              inFlight -= 1;
              sends.delete(send);
              flush();
              if (inFlight <= Math.floor(concurrency / 2)) waker.wakeAll();
            });
          sends.add(send);
        }
        failures = 0;
        if (claimed.length === 0 || concurrency - inFlight < Math.ceil(concurrency / 2)) await waker.sleep(idleMs);
      } catch (error) {
        failures += 1;
        lastError = String(error);
        options.onError?.(error);
        await waker.sleep(backoffDelay(failures, { initialMs: 200, maxMs: 10_000 }));
      }
    }
  };
  const running = loop();

  return {
    wake: () => waker.wakeAll(),
    state: () => ({ attempts, inFlight, lastError }),
    async stop() {
      stopped = true;
      waker.wakeAll();
      await running;
      await Promise.allSettled([...sends]);
      await new Promise((resolve) => setImmediate(resolve));
      await flushing;
      await flushBatch();
    },
  };
}
