import type { Decider, DomainEvent } from '@estia/infra/decider/types.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { Actor } from '../shared/actor.js';
import { Validation } from '../shared/validation.js';
import { WEBHOOK_EVENT_TYPES, isWebhookEventType } from './audience.js';
import { refuseUrl, type TargetPolicy } from './targetPolicy.js';

/**
 * A webhook subscription of one organisation. The signing secret reaches the stream only sealed (by
 * the application, with a key kept outside the log), so the log never holds it in clear; it is shown
 * to the caller once. A rotation keeps the previous secret valid until `previousSecretExpiresAt`.
 * Who may manage it (org admin, API client with `webhooks:manage`) is the route's scope check; that it
 * is the actor's own organisation is checked here, and "not yours" reads as "does not exist".
 */
export type WebhookSubscriptionCreated = DomainEvent<
  'WebhookSubscriptionCreated',
  {
    subscriptionId: string;
    organisationId: string;
    url: string;
    events: string[];
    description: string;
    sealedSecret: string;
    createdAt: string;
    createdBy: string;
  }
>;
export type WebhookSubscriptionUpdated = DomainEvent<
  'WebhookSubscriptionUpdated',
  { subscriptionId: string; url: string; events: string[]; description: string; updatedAt: string; updatedBy: string }
>;
export type WebhookSubscriptionPaused = DomainEvent<
  'WebhookSubscriptionPaused',
  { subscriptionId: string; pausedAt: string; pausedBy: string }
>;
export type WebhookSubscriptionResumed = DomainEvent<
  'WebhookSubscriptionResumed',
  { subscriptionId: string; resumedAt: string; resumedBy: string }
>;
export type WebhookSecretRotated = DomainEvent<
  'WebhookSecretRotated',
  {
    subscriptionId: string;
    sealedSecret: string;
    previousSealedSecret: string;
    previousSecretExpiresAt: string;
    rotatedAt: string;
    rotatedBy: string;
  }
>;
export type WebhookSubscriptionDisabled = DomainEvent<
  'WebhookSubscriptionDisabled',
  { subscriptionId: string; organisationId: string; reason: string; failingSince: string; disabledAt: string }
>;
export type WebhookSubscriptionDeleted = DomainEvent<
  'WebhookSubscriptionDeleted',
  { subscriptionId: string; deletedAt: string; deletedBy: string }
>;
export type WebhookSubscriptionEvent =
  | WebhookSubscriptionCreated
  | WebhookSubscriptionUpdated
  | WebhookSubscriptionPaused
  | WebhookSubscriptionResumed
  | WebhookSecretRotated
  | WebhookSubscriptionDisabled
  | WebhookSubscriptionDeleted;

export const WEBHOOK_SUBSCRIPTION_EVENT_TYPES = [
  'WebhookSubscriptionCreated',
  'WebhookSubscriptionUpdated',
  'WebhookSubscriptionPaused',
  'WebhookSubscriptionResumed',
  'WebhookSecretRotated',
  'WebhookSubscriptionDisabled',
  'WebhookSubscriptionDeleted',
] as const satisfies readonly WebhookSubscriptionEvent['type'][];

interface Base {
  subscriptionId: string;
  now: string;
  actor: Actor;
}
export type CreateWebhookSubscription = Base & {
  type: 'CreateWebhookSubscription';
  url: string;
  events: readonly string[];
  description?: string;
  sealedSecret: string;
  policy: TargetPolicy;
};
export type UpdateWebhookSubscription = Base & {
  type: 'UpdateWebhookSubscription';
  url?: string;
  events?: readonly string[];
  description?: string;
  policy: TargetPolicy;
};
export type PauseWebhookSubscription = Base & { type: 'PauseWebhookSubscription' };
export type ResumeWebhookSubscription = Base & { type: 'ResumeWebhookSubscription' };
export type RotateWebhookSecret = Base & { type: 'RotateWebhookSecret'; sealedSecret: string; overlapHours: number };
export type DeleteWebhookSubscription = Base & { type: 'DeleteWebhookSubscription' };
/** Issued by the delivery processor (a system actor) once deliveries failed for too long. */
export type DisableWebhookSubscription = Base & {
  type: 'DisableWebhookSubscription';
  reason: string;
  failingSince: string;
};
export type WebhookSubscriptionCommand =
  | CreateWebhookSubscription
  | UpdateWebhookSubscription
  | PauseWebhookSubscription
  | ResumeWebhookSubscription
  | RotateWebhookSecret
  | DeleteWebhookSubscription
  | DisableWebhookSubscription;

export interface WebhookSubscriptionState {
  status: 'none' | 'active' | 'paused' | 'disabled' | 'deleted';
  organisationId: string | null;
  url: string;
  events: string[];
  description: string;
  /** Sealed: the decider never opens it, it only hands it on as the previous secret on rotation. */
  sealedSecret: string;
}

const evolve = (state: WebhookSubscriptionState, event: WebhookSubscriptionEvent): WebhookSubscriptionState => {
  switch (event.type) {
    case 'WebhookSubscriptionCreated':
      return {
        status: 'active',
        organisationId: event.data.organisationId,
        url: event.data.url,
        events: event.data.events,
        description: event.data.description,
        sealedSecret: event.data.sealedSecret,
      };
    case 'WebhookSubscriptionUpdated':
      return { ...state, url: event.data.url, events: event.data.events, description: event.data.description };
    case 'WebhookSubscriptionPaused':
      return { ...state, status: 'paused' };
    case 'WebhookSubscriptionResumed':
      return { ...state, status: 'active' };
    case 'WebhookSecretRotated':
      return { ...state, sealedSecret: event.data.sealedSecret };
    case 'WebhookSubscriptionDisabled':
      return { ...state, status: 'disabled' };
    case 'WebhookSubscriptionDeleted':
      return { ...state, status: 'deleted' };
  }
};

const notFound = (id: string) => new AppError('NOT_FOUND', `webhook subscription ${id} not found`);

/** The subscription, if it exists and belongs to the actor's organisation; otherwise it does not exist. */
const requireOwn = (state: WebhookSubscriptionState, command: Base): string => {
  if (state.status === 'none' || state.status === 'deleted' || !state.organisationId)
    throw notFound(command.subscriptionId);
  if (command.actor.organisationId !== state.organisationId) throw notFound(command.subscriptionId);
  return state.organisationId;
};

const checkUrl = (v: Validation, url: unknown, policy: TargetPolicy): void => {
  if (typeof url !== 'string' || url.length > 2000) return v.fail('/url', 'must be a URL of at most 2000 characters');
  const refusal = refuseUrl(url, policy);
  if (refusal) v.fail('/url', refusal);
};

const checkEvents = (v: Validation, events: unknown): void => {
  if (!Array.isArray(events) || events.length === 0) return v.fail('/events', 'must list at least one event type');
  if (events.includes('*') && events.length > 1) return v.fail('/events', '"*" stands alone');
  events.forEach((type, i) =>
    v.check(
      type === '*' || (typeof type === 'string' && isWebhookEventType(type)),
      `/events/${i}`,
      `must be "*" or one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    ),
  );
};

const checkSealed = (v: Validation, sealed: unknown): void => {
  v.check(typeof sealed === 'string' && sealed.length >= 32, '/secret', 'must be a sealed secret');
};

const decide = (command: WebhookSubscriptionCommand, state: WebhookSubscriptionState): WebhookSubscriptionEvent[] => {
  const { subscriptionId, now, actor } = command;
  const by = actor.principalId;
  switch (command.type) {
    case 'CreateWebhookSubscription': {
      if (!actor.organisationId)
        throw new AppError('FORBIDDEN', 'only a member organisation may subscribe to webhooks');
      if (state.status !== 'none')
        throw new AppError('ILLEGAL_TRANSITION', `webhook subscription ${subscriptionId} already exists`, {
          extensions: { currentState: state.status },
        });
      const v = new Validation();
      checkUrl(v, command.url, command.policy);
      checkEvents(v, command.events);
      v.text(command.description, '/description', { max: 500, required: false });
      checkSealed(v, command.sealedSecret);
      v.throwIfInvalid('webhook subscription');
      return [
        {
          type: 'WebhookSubscriptionCreated',
          data: {
            subscriptionId,
            organisationId: actor.organisationId,
            url: command.url,
            events: [...new Set(command.events)],
            description: command.description?.trim() ?? '',
            sealedSecret: command.sealedSecret,
            createdAt: now,
            createdBy: by,
          },
        },
      ];
    }
    case 'UpdateWebhookSubscription': {
      requireOwn(state, command);
      const v = new Validation();
      if (command.url !== undefined) checkUrl(v, command.url, command.policy);
      if (command.events !== undefined) checkEvents(v, command.events);
      v.text(command.description, '/description', { max: 500, required: false });
      v.throwIfInvalid('webhook subscription');
      return [
        {
          type: 'WebhookSubscriptionUpdated',
          data: {
            subscriptionId,
            url: command.url ?? state.url,
            events: command.events === undefined ? state.events : [...new Set(command.events)],
            description: command.description?.trim() ?? state.description,
            updatedAt: now,
            updatedBy: by,
          },
        },
      ];
    }
    case 'PauseWebhookSubscription': {
      requireOwn(state, command);
      if (state.status !== 'active')
        throw new AppError('ILLEGAL_TRANSITION', `cannot pause a ${state.status} subscription`, {
          extensions: { currentState: state.status },
        });
      return [{ type: 'WebhookSubscriptionPaused', data: { subscriptionId, pausedAt: now, pausedBy: by } }];
    }
    case 'ResumeWebhookSubscription': {
      requireOwn(state, command);
      if (state.status === 'active')
        throw new AppError('ILLEGAL_TRANSITION', 'the subscription is already active', {
          extensions: { currentState: state.status },
        });
      return [{ type: 'WebhookSubscriptionResumed', data: { subscriptionId, resumedAt: now, resumedBy: by } }];
    }
    case 'RotateWebhookSecret': {
      requireOwn(state, command);
      const v = new Validation();
      checkSealed(v, command.sealedSecret);
      v.integer(command.overlapHours, '/overlapHours', 0, 168);
      v.throwIfInvalid('webhook secret rotation');
      return [
        {
          type: 'WebhookSecretRotated',
          data: {
            subscriptionId,
            sealedSecret: command.sealedSecret,
            previousSealedSecret: state.sealedSecret,
            previousSecretExpiresAt: new Date(Date.parse(now) + command.overlapHours * 3_600_000).toISOString(),
            rotatedAt: now,
            rotatedBy: by,
          },
        },
      ];
    }
    case 'DeleteWebhookSubscription': {
      requireOwn(state, command);
      return [{ type: 'WebhookSubscriptionDeleted', data: { subscriptionId, deletedAt: now, deletedBy: by } }];
    }
    case 'DisableWebhookSubscription': {
      // Only an active subscription is disabled; a paused, deleted or already disabled one stays as it is.
      if (state.status !== 'active' || !state.organisationId) return [];
      return [
        {
          type: 'WebhookSubscriptionDisabled',
          data: {
            subscriptionId,
            organisationId: state.organisationId,
            reason: command.reason,
            failingSince: command.failingSince,
            disabledAt: now,
          },
        },
      ];
    }
  }
};

export const webhookSubscriptionDecider: Decider<
  WebhookSubscriptionState,
  WebhookSubscriptionCommand,
  WebhookSubscriptionEvent
> = {
  initialState: () => ({
    status: 'none',
    organisationId: null,
    url: '',
    events: [],
    description: '',
    sealedSecret: '',
  }),
  decide,
  evolve,
};

export const webhookSubscriptionStreamId = (subscriptionId: string): string => `registry-webhook-${subscriptionId}`;
