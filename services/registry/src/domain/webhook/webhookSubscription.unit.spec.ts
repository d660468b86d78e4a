import { describe, it } from 'vitest';
import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import type { Actor } from '../shared/actor.js';
import { webhookSubscriptionDecider, type WebhookSubscriptionEvent } from './webhookSubscription.js';
import { STRICT_TARGETS } from './targetPolicy.js';

const spec = DeciderSpecification.for(webhookSubscriptionDecider);
const now = '2026-03-01T10:00:00.000Z';
const subscriptionId = 'sub-1';
const organisationId = 'org-1';
const admin: Actor = { principalId: 'p-1', organisationId, roles: ['org_admin'] };
const otherAdmin: Actor = { principalId: 'p-9', organisationId: 'org-2', roles: ['org_admin'] };
const system: Actor = { principalId: 'registry.webhooks', roles: [] };
const s1 = 'sealed-1'.padEnd(40, 'x');
const s2 = 'sealed-2'.padEnd(40, 'y');
const base = { subscriptionId, now, actor: admin } as const;

const created: WebhookSubscriptionEvent = {
  type: 'WebhookSubscriptionCreated',
  data: {
    subscriptionId,
    organisationId,
    url: 'https://partner.example/hooks',
    events: ['estia.referrals.referral.status-changed.v1'],
    description: 'case system',
    sealedSecret: s1,
    createdAt: now,
    createdBy: 'p-1',
  },
};
const create = {
  ...base,
  type: 'CreateWebhookSubscription',
  url: 'https://partner.example/hooks',
  events: ['estia.referrals.referral.status-changed.v1', 'estia.referrals.referral.status-changed.v1'],
  description: ' case system ',
  sealedSecret: s1,
  policy: STRICT_TARGETS,
} as const;
const paused: WebhookSubscriptionEvent = {
  type: 'WebhookSubscriptionPaused',
  data: { subscriptionId, pausedAt: now, pausedBy: 'p-1' },
};

describe('webhook subscriptions', () => {
  it('an organisation subscribes; events de-duplicated, the secret only sealed', () =>
    spec.given([]).when(create).then([created]));
  it('http, loopback and metadata targets are refused under the strict policy, naming the field', () => {
    spec
      .given([])
      .when({ ...create, url: 'http://partner.example/hooks' })
      .thenThrows('VALIDATION_FAILED', /\/body\/url must be an https URL/);
    spec
      .given([])
      .when({ ...create, url: 'https://127.0.0.1/hooks' })
      .thenThrows('VALIDATION_FAILED', /loopback/);
    spec
      .given([])
      .when({ ...create, url: 'https://169.254.169.254/latest', policy: { ...STRICT_TARGETS, allowPrivate: true } })
      .thenThrows('VALIDATION_FAILED', /never allowed/);
  });
  it('loopback over http is accepted where the network allows both', () =>
    spec
      .given([])
      .when({
        ...create,
        url: 'http://127.0.0.1:3000/hooks',
        policy: { ...STRICT_TARGETS, allowHttp: true, allowLoopback: true },
      })
      .then([
        { ...created, data: { ...created.data, url: 'http://127.0.0.1:3000/hooks' } } as WebhookSubscriptionEvent,
      ]));
  it('unknown and personal event types are refused', () =>
    spec
      .given([])
      .when({ ...create, events: ['estia.referrals.client.consent-given.v1'] })
      .thenThrows('VALIDATION_FAILED', /\/body\/events\/0/));
  it('"*" stands alone', () =>
    spec
      .given([])
      .when({ ...create, events: ['*', 'estia.referrals.referral.status-changed.v1'] })
      .thenThrows('VALIDATION_FAILED', /\/body\/events/));
  it('another organisation sees no such subscription', () =>
    spec
      .given([created])
      .when({ ...base, actor: otherAdmin, type: 'PauseWebhookSubscription' })
      .thenThrows('NOT_FOUND'));
  it('pauses and resumes', () => {
    spec
      .given([created])
      .when({ ...base, type: 'PauseWebhookSubscription' })
      .then([paused]);
    spec
      .given([created, paused])
      .when({ ...base, type: 'ResumeWebhookSubscription' })
      .then([{ type: 'WebhookSubscriptionResumed', data: { subscriptionId, resumedAt: now, resumedBy: 'p-1' } }]);
    spec
      .given([created, paused])
      .when({ ...base, type: 'PauseWebhookSubscription' })
      .thenThrows('ILLEGAL_TRANSITION');
  });
  it('rotation keeps the previous secret for the overlap window', () =>
    spec
      .given([created])
      .when({ ...base, type: 'RotateWebhookSecret', sealedSecret: s2, overlapHours: 24 })
      .then([
        {
          type: 'WebhookSecretRotated',
          data: {
            subscriptionId,
            sealedSecret: s2,
            previousSealedSecret: s1,
            previousSecretExpiresAt: '2026-03-02T10:00:00.000Z',
            rotatedAt: now,
            rotatedBy: 'p-1',
          },
        },
      ]));
  it('the delivery processor disables an active subscription once, never a paused one', () => {
    const disable = {
      subscriptionId,
      now,
      actor: system,
      type: 'DisableWebhookSubscription',
      reason: 'deliveries failed for 5 days',
      failingSince: '2026-02-24T10:00:00.000Z',
    } as const;
    const disabled: WebhookSubscriptionEvent = {
      type: 'WebhookSubscriptionDisabled',
      data: {
        subscriptionId,
        organisationId,
        reason: 'deliveries failed for 5 days',
        failingSince: '2026-02-24T10:00:00.000Z',
        disabledAt: now,
      },
    };
    spec.given([created]).when(disable).then([disabled]);
    spec.given([created, disabled]).when(disable).then([]);
    spec.given([created, paused]).when(disable).then([]);
  });
  it('a deleted subscription is gone', () =>
    spec
      .given([
        created,
        { type: 'WebhookSubscriptionDeleted', data: { subscriptionId, deletedAt: now, deletedBy: 'p-1' } },
      ])
      .when({ ...base, type: 'ResumeWebhookSubscription' })
      .thenThrows('NOT_FOUND'));
});
