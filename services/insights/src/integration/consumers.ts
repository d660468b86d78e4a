import { topicFor } from '@estia/infra/bus/types.js';
import type { StartConsumerOptions } from '@estia/infra/processors/consumer.js';
import { factChanges } from '../domain/facts.js';
import { applyFactChanges } from '../readModels/factStore.js';

type Consumer = Omit<StartConsumerOptions, 'bus' | 'db' | 'logger'>;

export const INSIGHTS_GROUPS = {
  registry: 'insights.registry',
  referrals: 'insights.referrals',
  matching: 'insights.matching',
} as const;

/**
 * One consumer per publishing service, each from the start of its topic (a new or emptied read model
 * is rebuilt by replaying the public events). Each message's facts commit with its inbox entry and offset.
 */
export const insightsConsumers = (pseudonym: (clientId: string) => string): Consumer[] =>
  (['registry', 'referrals', 'matching'] as const).map((service) => ({
    group: INSIGHTS_GROUPS[service],
    topics: [topicFor(service)],
    fromBeginning: true,
    handle: (tx, envelope) => applyFactChanges(tx, factChanges(envelope, pseudonym)),
  }));
