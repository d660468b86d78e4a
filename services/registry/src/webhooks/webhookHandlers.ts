import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { handleCommand } from '@estia/infra/commandHandling/handleCommand.js';
import { AppError } from '@estia/infra/errors/appError.js';
import {
  webhookSubscriptionDecider,
  webhookSubscriptionStreamId,
  type WebhookSubscriptionCommand,
} from '../domain/webhook/webhookSubscription.js';
import { refuseAddress, refuseUrl, type TargetPolicy } from '../domain/webhook/targetPolicy.js';
import type { Actor } from '../domain/shared/actor.js';
import { metadataFor, type RegistryContext } from '../application/context.js';
import type { CommandOptions } from '../application/organisationHandlers.js';
import { newWebhookSecret, type SecretBox } from './secretBox.js';

/** Resolves a host name to every address it has (the same resolver the sender uses). */
export type Resolve = (host: string) => Promise<string[]>;
export const systemResolve: Resolve = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

const urlRefused = (detail: string) =>
  new AppError('VALIDATION_FAILED', `webhook subscription: /body/url ${detail}`, {
    errors: [{ pointer: '/body/url', detail }],
  });

type WithoutBase<C> = C extends unknown ? Omit<C, 'subscriptionId' | 'now' | 'actor'> : never;

export interface WebhookHandlerDeps {
  secrets: SecretBox;
  policy: TargetPolicy;
  resolve?: Resolve;
}

/** The actor of commands the delivery processor issues (disabling a failing subscription). */
export const WEBHOOK_PROCESSOR_ACTOR: Actor = { principalId: 'registry.webhook-delivery', roles: [] };

export const webhookHandlers = (ctx: RegistryContext, deps: WebhookHandlerDeps) => {
  const resolve = deps.resolve ?? systemResolve;
  const run = (
    actor: Actor,
    subscriptionId: string,
    command: WithoutBase<WebhookSubscriptionCommand>,
    options: CommandOptions = {},
  ) =>
    handleCommand({
      store: ctx.store,
      streamId: webhookSubscriptionStreamId(subscriptionId),
      decider: webhookSubscriptionDecider,
      command: { ...command, subscriptionId, now: ctx.now(), actor } as WebhookSubscriptionCommand,
      metadata: metadataFor(actor, options.correlationId),
      ...(options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion }),
    });

  /** At subscription: the host's current addresses are checked too (and again at every delivery). */
  const checkResolved = async (url: string): Promise<void> => {
    if (refuseUrl(url, deps.policy) !== null) return; // the decider names the problem
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) !== 0) return;
    let addresses: string[];
    try {
      addresses = await resolve(host);
    } catch {
      throw urlRefused(`${host} does not resolve`);
    }
    for (const address of addresses) {
      const refusal = refuseAddress(address, deps.policy);
      if (refusal) throw urlRefused(`${host} resolves to ${refusal}`);
    }
  };

  return {
    /** The secret is in this answer once, and sealed everywhere else. */
    async create(
      actor: Actor,
      input: { url: string; events: readonly string[]; description?: string },
      o: CommandOptions & { subscriptionId?: string; secret?: string } = {},
    ) {
      await checkResolved(input.url);
      const subscriptionId = o.subscriptionId ?? ctx.newId();
      const secret = o.secret ?? newWebhookSecret();
      const result = await run(
        actor,
        subscriptionId,
        {
          type: 'CreateWebhookSubscription',
          url: input.url,
          events: input.events,
          ...(input.description === undefined ? {} : { description: input.description }),
          sealedSecret: deps.secrets.seal(subscriptionId, secret),
          policy: deps.policy,
        },
        { expectedVersion: 'no-stream', ...o },
      );
      return { subscriptionId, secret, result };
    },
    async update(
      actor: Actor,
      subscriptionId: string,
      input: { url?: string; events?: readonly string[]; description?: string },
      o?: CommandOptions,
    ) {
      if (input.url !== undefined) await checkResolved(input.url);
      return run(actor, subscriptionId, { type: 'UpdateWebhookSubscription', ...input, policy: deps.policy }, o);
    },
    pause: (actor: Actor, id: string, o?: CommandOptions) => run(actor, id, { type: 'PauseWebhookSubscription' }, o),
    resume: (actor: Actor, id: string, o?: CommandOptions) => run(actor, id, { type: 'ResumeWebhookSubscription' }, o),
    remove: (actor: Actor, id: string, o?: CommandOptions) => run(actor, id, { type: 'DeleteWebhookSubscription' }, o),
    async rotate(actor: Actor, subscriptionId: string, overlapHours: number, o?: CommandOptions) {
      const secret = newWebhookSecret();
      const result = await run(
        actor,
        subscriptionId,
        { type: 'RotateWebhookSecret', sealedSecret: deps.secrets.seal(subscriptionId, secret), overlapHours },
        o,
      );
      const rotated = result.events.find((e) => e.type === 'WebhookSecretRotated');
      return {
        subscriptionId,
        secret,
        previousSecretExpiresAt: rotated?.type === 'WebhookSecretRotated' ? rotated.data.previousSecretExpiresAt : null,
        result,
      };
    },
    disable: (subscriptionId: string, reason: string, failingSince: string) =>
      run(WEBHOOK_PROCESSOR_ACTOR, subscriptionId, { type: 'DisableWebhookSubscription', reason, failingSince }),
  };
};

export type WebhookHandlers = ReturnType<typeof webhookHandlers>;
