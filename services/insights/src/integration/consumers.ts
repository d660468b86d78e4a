import { topicFor } from '@estia/infra/bus/types.js';
import type { StartConsumerOptions } from '@estia/infra/processors/consumer.js';
import { factChanges } from '../domain/facts.js';
import { applyFactChanges } from '../readModels/factStore.js';

type Consumer = Omit<StartConsumerOptions, 'bus' | 'db' | 'logger'>;

/** The consumer group of one topic for one generation of the read model. */
export const insightsGroup = (service: 'registry' | 'referrals' | 'matching', generation: string) =>
  `insights.${service}.${generation}`;

/**
 * One consumer per publishing service, each from the start of its topic (a new or emptied read model is a
 * new generation, rebuilt by replaying the public events). Each message's facts commit with its inbox
 * entry and offset.
 */
export const insightsConsumers = (pseudonym: (clientId: string) => string, generation: string): Consumer[] =>
  (['registry', 'referrals', 'matching'] as const).map((service) => ({
    group: insightsGroup(service, generation),
    topics: [topicFor(service)],
    fromBeginning: true,
    handle: (tx, envelope) => applyFactChanges(tx, factChanges(envelope, pseudonym)),
  }));
