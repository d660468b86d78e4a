import { topicFor } from '@estia/infra/bus/types.js';
import type { StartConsumerOptions } from '@estia/infra/processors/consumer.js';
import { factChanges } from '../domain/facts.js';
import { applyFactBatch, applyFactChanges } from '../readModels/factStore.js';

type Consumer = Omit<StartConsumerOptions, 'bus' | 'db' | 'logger'>;

/** The consumer group of one topic for one generation of the read model. */
export const insightsGroup = (service: 'registry' | 'referrals' | 'matching', generation: string) =>
  `insights.${service}.${generation}`;

/**
 * One consumer per publishing service, each from the start of its topic (a new or emptied read model is a
 * new generation, rebuilt by replaying the public events). A delivered batch's facts commit with its inbox
 * entries and offset in one transaction (each fact read and written once); a failing batch falls back to
 * one message per transaction.
 */
export const insightsConsumers = (pseudonym: (clientId: string) => string, generation: string): Consumer[] =>
  (['registry', 'referrals', 'matching'] as const).map((service) => ({
    group: insightsGroup(service, generation),
    topics: [topicFor(service)],
    fromBeginning: true,
    handle: (tx, envelope) => applyFactChanges(tx, factChanges(envelope, pseudonym)),
    handleBatch: (tx, items) =>
      applyFactBatch(
        tx,
        items.map((item) => factChanges(item.envelope, pseudonym)),
      ),
  }));
