import { topicFor } from '@estia/infra/bus/types.js';
import type { StartConsumerOptions } from '@estia/infra/processors/consumer.js';
import { factChanges } from '../domain/facts.js';
import { applyFactBatch, applyFactChanges } from '../readModels/factStore.js';

type Consumer = Omit<StartConsumerOptions, 'bus' | 'db' | 'logger'>;

/** The consumer group of one topic for one generation of the read model. */
export const insightsGroup = (service: 'registry' | 'referrals' | 'matching', generation: string) =>
  `insights.${service}.${generation}`;

/** Most events per delivered batch (see below). */
const BATCH = 20_000;

/**
 * One consumer per publishing service, each from the start of its topic (a new or emptied read model is a
 * new generation, rebuilt by replaying the public events). A delivered batch's facts commit with its inbox
 * entries and offset in one transaction (each fact read and written once); a failing batch falls back to
 * one message per transaction. Batches are large because a replayed year touches each referral several
 * times within a few thousand events: folding them writes each fact once instead of once per event
 * (rebuilding 500,000 events took 25.5 s of CPU in batches of 500, 18.2 s of 5,000, 15.0 s of 20,000). A
 * batch of 20,000 envelopes holds some 20 MB and the insights database's write lock for a fraction of a
 * second; queries read beside it.
 */

export const insightsConsumers = (pseudonym: (clientId: string) => string, generation: string): Consumer[] =>
  (['registry', 'referrals', 'matching'] as const).map((service) => ({
    group: insightsGroup(service, generation),
    topics: [topicFor(service)],
    fromBeginning: true,
    maxBatchSize: BATCH,
    handle: (tx, envelope) => applyFactChanges(tx, factChanges(envelope, pseudonym)),
    handleBatch: (tx, items) =>
      applyFactBatch(
        tx,
        items.map((item) => factChanges(item.envelope, pseudonym)),
      ),
  }));
