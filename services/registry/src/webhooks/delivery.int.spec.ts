import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleData, sampleEnvelope } from '@estia/contracts/testing/sampleEvents.js';
import type { EventEnvelope } from '@estia/contracts';
import type { Actor } from '../domain/shared/actor.js';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../domain/webhook/retrySchedule.js';
import type { DeliveryProcessor } from './deliveryProcessor.js';
import { deliveryIdOf } from './fanOut.js';
import { listDeliveries, loadSubscription } from './webhookQueries.js';
import { webhookModule } from './webhookModule.js';
import {
  eventually,
  startTestReceiver,
  startWebhookHarness,
  type TestReceiver,
  type WebhookHarness,
} from './webhookTestKit.js';

const ORG_A = randomUUID();
const ORG_B = randomUUID();
const ORG_C = randomUUID();
const adminOf = (organisationId: string): Actor => ({
  principalId: `admin-${organisationId}`,
  organisationId,
  roles: ['org_admin'],
});
const demoPolicy = { allowHttp: true, allowLoopback: true, allowPrivate: false };

const referral = (from: string, to: string): EventEnvelope =>
  sampleEnvelope(
    'estia.referrals.referral.status-changed.v1',
    {
      ...sampleData['estia.referrals.referral.status-changed.v1']!,
      referralId: randomUUID(),
      fromOrganisationId: from,
      toOrganisationId: to,
    },
    randomUUID(),
  ) as EventEnvelope;

describe('webhook delivery', () => {
  let h: WebhookHarness;
  let receiver: TestReceiver;
  let processor: DeliveryProcessor | undefined;
  let disabled: { id: string; organisationId: string }[];
  let lookups: Record<string, string>;
  let module: ReturnType<typeof webhookModule>;

  beforeEach(async () => {
    // Starts at the real time: receivers (the library's verify) refuse timestamps far from it.
    h = await startWebhookHarness(new Date());
    receiver = await startTestReceiver();
    disabled = [];
    lookups = {};
    module = webhookModule({
      ctx: h.ctx,
      db: h.db,
      clock: h.clock,
      secrets: h.secrets,
      policy: demoPolicy,
      timeoutMs: 1_000,
      resolve: async (host) => [lookups[host] ?? '127.0.0.1'],
      lookup: (host, cb) => cb(null, [{ address: lookups[host] ?? '127.0.0.1', family: 4 }]),
      tellAdmins: async (s) => void disabled.push(s),
    });
  });
  afterEach(async () => {
    await processor?.stop();
    processor = undefined;
    await receiver.close();
    await h.close();
  });

  const subscribe = async (organisationId: string, events: string[] = ['*'], url = receiver.url) => {
    const created = await module.handlers.create(adminOf(organisationId), { url, events });
    await h.project();
    receiver.secrets.push(created.secret);
    return created;
  };
  const publish = (envelope: EventEnvelope) =>
    h.db.transaction((tx) =>
      module.consumer.handle(tx, envelope, {
        topic: 't',
        partition: 0,
        offset: '0',
        key: envelope.subject ?? '',
        attempt: 1,
      }),
    );
  const deliveryOf = async (subscriptionId: string, eventId: string) =>
    (await listDeliveries(h.db, subscriptionId, 200)).find((d) => d.id === deliveryIdOf(subscriptionId, eventId));

  it('delivers the public event, signed (Standard Webhooks), to the organisations that may see it only', async () => {
    const a = await subscribe(ORG_A);
    const b = await subscribe(ORG_B, ['estia.referrals.referral.status-changed.v1']);
    const c = await subscribe(ORG_C);
    const event = referral(ORG_A, ORG_B);
    await publish(event);
    await publish(event); // a bus redelivery changes nothing
    processor = module.start();
    await eventually('two deliveries', () => receiver.received.length >= 2);
    const ids = receiver.received.map((r) => r.id).sort();
    expect(ids).toEqual([deliveryIdOf(a.subscriptionId, event.id), deliveryIdOf(b.subscriptionId, event.id)].sort());
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(JSON.parse(receiver.received[0]!.body)).toEqual(event);
    expect(receiver.received[0]!.signature).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(await listDeliveries(h.db, c.subscriptionId, 10)).toEqual([]);
    const logged = await eventually('the log', async () => {
      const d = await deliveryOf(a.subscriptionId, event.id);
      return d?.status === 'succeeded' ? d : undefined;
    });
    expect(logged.log).toEqual([
      expect.objectContaining({ attempt: 1, status: 204, manual: false, error: null, responseExcerpt: '' }),
    ]);
  });

  it('an access request, a deadline near and a follow-up due reach only the organisations they are addressed to', async () => {
    const a = await subscribe(ORG_A);
    const b = await subscribe(ORG_B);
    const c = await subscribe(ORG_C);
    const at = h.clock().toISOString();
    const holderEvent = sampleEnvelope(
      'estia.referrals.access-request.received.v1',
      { accessRequestId: randomUUID(), holderOrganisationId: ORG_A, receivedAt: at },
      randomUUID(),
    ) as EventEnvelope;
    const requesterEvent = sampleEnvelope(
      'estia.referrals.access-request.status-changed.v1',
      { accessRequestId: randomUUID(), requesterOrganisationId: ORG_B, status: 'requested', changedAt: at },
      randomUUID(),
    ) as EventEnvelope;
    const deadline = sampleEnvelope(
      'estia.referrals.deadline.approaching.v1',
      { reminderId: randomUUID(), organisationId: ORG_A, deadline: 'reception_exit', issuedAt: at },
      randomUUID(),
    ) as EventEnvelope;
    const followUp = sampleEnvelope(
      'estia.matching.placement.follow-up-due.v1',
      {
        placementId: randomUUID(),
        coachOrganisationId: ORG_A,
        employerOrganisationId: ORG_B,
        monthsAfterStart: 6,
        announcedAt: at,
      },
      randomUUID(),
    ) as EventEnvelope;
    for (const event of [holderEvent, requesterEvent, deadline, followUp]) await publish(event);
    const types = async (subscriptionId: string) =>
      (
        await h.db.query<{ event_type: string }>(
          'SELECT event_type FROM webhook_deliveries WHERE subscription_id = $1 ORDER BY event_type',
          [subscriptionId],
        )
      ).map((r) => r.event_type);
    expect(await types(a.subscriptionId)).toEqual([
      'estia.matching.placement.follow-up-due.v1',
      'estia.referrals.access-request.received.v1',
      'estia.referrals.deadline.approaching.v1',
    ]);
    expect(await types(b.subscriptionId)).toEqual([
      'estia.matching.placement.follow-up-due.v1',
      'estia.referrals.access-request.status-changed.v1',
    ]);
    expect(await types(c.subscriptionId)).toEqual([]);
  });

  it('events about a person are never delivered, not even to "*"', async () => {
    const a = await subscribe(ORG_A);
    const consent = sampleEnvelope(
      'estia.referrals.client.consent-given.v1',
      { ...sampleData['estia.referrals.client.consent-given.v1']!, recordedByOrganisationId: ORG_A },
      randomUUID(),
    ) as EventEnvelope;
    await publish(consent);
    expect(await listDeliveries(h.db, a.subscriptionId, 10)).toEqual([]);
  });

  it('retries on the schedule with the injected clock, then succeeds with the same webhook-id', async () => {
    const a = await subscribe(ORG_A);
    receiver.answer = () => ({ status: 500, body: 'x'.repeat(5_000) });
    const event = referral(ORG_A, ORG_B);
    await publish(event);
    processor = module.start();
    const first = await eventually('a failed first attempt', async () => {
      const d = await deliveryOf(a.subscriptionId, event.id);
      return d && d.attempts === 1 ? d : undefined;
    });
    expect(first.status).toBe('pending');
    expect(first.nextAttemptAt).toBe(new Date(h.clock.now.getTime() + RETRY_DELAYS_MS[1]).toISOString());
    expect(first.log[0]).toMatchObject({ status: 500 });
    // The excerpt is capped.
    expect(first.log[0]!.responseExcerpt.length).toBe(1024);
    receiver.answer = () => ({ status: 200, body: 'ok' });
    h.clock.advance(RETRY_DELAYS_MS[1]);
    processor.wake();
    const done = await eventually('the retry', async () => {
      const d = await deliveryOf(a.subscriptionId, event.id);
      return d?.status === 'succeeded' ? d : undefined;
    });
    expect(done.log.map((l) => l.status)).toEqual([500, 200]);
    expect(done.log[1]!.responseExcerpt).toBe('ok');
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(1);
  });

  it('gives up after the eighth attempt; a manual redelivery sends it once more', async () => {
    const a = await subscribe(ORG_A);
    receiver.answer = () => ({ status: 503 });
    const event = referral(ORG_A, ORG_B);
    await publish(event);
    processor = module.start();
    for (let made = 1; made <= MAX_ATTEMPTS; made++) {
      await eventually(
        `attempt ${made}`,
        async () => (await deliveryOf(a.subscriptionId, event.id))?.attempts === made,
      );
      if (made < MAX_ATTEMPTS) h.clock.advance(RETRY_DELAYS_MS[made]!);
      processor.wake();
    }
    const failed = await deliveryOf(a.subscriptionId, event.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, nextAttemptAt: null });
    receiver.answer = () => ({ status: 202 });
    const { redeliver } = await import('./webhookQueries.js');
    expect(await redeliver(h.db, a.subscriptionId, failed!.id, h.clock())).toBe(true);
    processor.wake();
    const again = await eventually('the manual attempt', async () => {
      const d = await deliveryOf(a.subscriptionId, event.id);
      return d?.status === 'succeeded' ? d : undefined;
    });
    expect(again.log.at(-1)).toMatchObject({ attempt: MAX_ATTEMPTS + 1, status: 202, manual: true });
  });

  it('a subscription failing for five days is disabled and its admins are told', async () => {
    const a = await subscribe(ORG_A);
    receiver.answer = () => ({ status: 500 });
    processor = module.start();
    await publish(referral(ORG_A, ORG_B));
    await eventually('the first failure', () => receiver.received.length === 1);
    h.clock.advance(5 * 24 * 3_600_000);
    await publish(referral(ORG_A, ORG_B));
    processor.wake();
    await eventually('the disabling', () => disabled.length === 1);
    expect(disabled[0]).toMatchObject({ id: a.subscriptionId, organisationId: ORG_A });
    await h.project();
    expect((await loadSubscription(h.db, a.subscriptionId))?.status).toBe('disabled');
    // A disabled subscription collects no new deliveries.
    const later = referral(ORG_A, ORG_B);
    await publish(later);
    expect(await deliveryOf(a.subscriptionId, later.id)).toBeUndefined();
  });

  it('after a rotation both secrets sign until the overlap ends', async () => {
    const a = await subscribe(ORG_A);
    const oldSecret = receiver.secrets[0]!;
    const rotated = await module.handlers.rotate(adminOf(ORG_A), a.subscriptionId, 24);
    await h.project();
    receiver.secrets.splice(0, 1, rotated.secret);
    processor = module.start();
    await publish(referral(ORG_A, ORG_B));
    await eventually('a delivery', () => receiver.received.length === 1);
    expect(receiver.received[0]!.signature.split(' ')).toHaveLength(2);
    expect(receiver.received[0]!.verified).toBe(true); // with the new secret
    const first = receiver.received[0]!;
    const headers = {
      'webhook-id': first.id,
      'webhook-timestamp': first.timestamp,
      'webhook-signature': first.signature,
    };
    // A receiver that has not yet taken the new secret still verifies.
    expect(() => new Webhook(oldSecret).verify(first.body, headers)).not.toThrow();
    expect(() => new Webhook(rotated.secret).verify(first.body, headers)).not.toThrow();
    h.clock.advance(25 * 3_600_000);
    await publish(referral(ORG_A, ORG_B));
    processor.wake();
    await eventually('a second delivery', () => receiver.received.length === 2);
    expect(receiver.received[1]!.signature.split(' ')).toHaveLength(1);
  });

  it('refuses a host that resolves to a metadata or private address at delivery time, and never connects', async () => {
    lookups['partner.test'] = '127.0.0.1';
    const port = new URL(receiver.url).port;
    const a = await subscribe(ORG_A, ['*'], `http://partner.test:${port}/hooks`);
    lookups['partner.test'] = '169.254.169.254'; // re-pointed after the subscription was checked
    const event = referral(ORG_A, ORG_B);
    await publish(event);
    processor = module.start();
    const d = await eventually('the refused attempt', async () => {
      const x = await deliveryOf(a.subscriptionId, event.id);
      return x && x.attempts === 1 ? x : undefined;
    });
    expect(d.log[0]).toMatchObject({ status: null, error: expect.stringMatching(/unsafe target.*never allowed/) });
    expect(receiver.received).toEqual([]);
  });

  it('refuses unsafe targets at subscription, also after resolving the name', async () => {
    await expect(
      module.handlers.create(adminOf(ORG_A), { url: 'http://169.254.169.254/', events: ['*'] }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    lookups['inside.test'] = '10.0.0.5';
    await expect(
      module.handlers.create(adminOf(ORG_A), { url: 'https://inside.test/', events: ['*'] }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '/body/url', detail: expect.stringMatching(/private/) }],
    });
  });

  it('a receiver that does not answer in time is cut off and retried', async () => {
    const a = await subscribe(ORG_A);
    receiver.answer = () => ({ status: 200, delayMs: 3_000 });
    const event = referral(ORG_A, ORG_B);
    await publish(event);
    processor = module.start();
    const d = await eventually('the timed-out attempt', async () => {
      const x = await deliveryOf(a.subscriptionId, event.id);
      return x && x.attempts === 1 ? x : undefined;
    });
    expect(d).toMatchObject({ status: 'pending' });
    expect(d.log[0]).toMatchObject({ status: null, error: expect.stringMatching(/timed out/) });
  });
});
