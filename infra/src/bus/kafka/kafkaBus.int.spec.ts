import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvelope } from '../../processors/testWorkers/testEnvelope.js';
import { createKafkaBus } from './kafkaBus.js';
import { KafkaContainer, type StartedKafkaContainer } from '@testcontainers/kafka';
import { busContract } from '../../testing/busContract.js';
import { containerRuntimeAvailable } from '../../testing/containerRuntime.js';

// A broker from the environment (e.g. docker compose), else a throwaway one where a container engine exists.
const fromEnv =
  process.env.KAFKA_BROKERS?.split(',')
    .map((b) => b.trim())
    .filter(Boolean) ?? [];
const canStartContainer = fromEnv.length === 0 && (await containerRuntimeAvailable());
let brokers = fromEnv;
let container: StartedKafkaContainer | undefined;

beforeAll(async () => {
  if (!canStartContainer) return;
  container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
  brokers = [`${container.getHost()}:${container.getMappedPort(9093)}`];
}, 180_000);

afterAll(async () => {
  await container?.stop();
});

busContract({
  name: 'kafka',
  skipReason:
    fromEnv.length > 0 || canStartContainer
      ? null
      : 'no broker/no runtime (set KAFKA_BROKERS=host:port or provide a container engine)',
  config: () => ({
    kind: 'kafka',
    brokers,
    clientId: 'estia-bus-contract',
    numPartitions: 3,
    replicationFactor: fromEnv.length > 0 ? -1 : 1,
    maxBatchSize: 20,
    sessionTimeoutMs: 6_000,
  }),
  killedMemberGraceMs: 15_000,
});

describe.skipIf(fromEnv.length === 0 && !canStartContainer)('kafka topics as deployed', () => {
  it('creates event topics with cleanup.policy=delete and the configured retention.ms, never compacted', async () => {
    const topic = `estia.retention-${randomUUID().slice(0, 8)}`;
    const bus = createKafkaBus({
      brokers,
      clientId: 'estia-topic-config',
      retentionMs: 3_600_000,
      replicationFactor: fromEnv.length > 0 ? -1 : 1,
    });
    const admin = new Kafka({ clientId: 'estia-topic-config-check', brokers }).admin();
    try {
      await bus.publish(topic, [{ key: 'stream-1', value: testEnvelope('s', { seq: 1 }) }]);
      await admin.connect();
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: 2 as never, name: topic, configNames: ['cleanup.policy', 'retention.ms'] }],
      });
      const entries = Object.fromEntries(
        described.resources[0]!.configEntries.map((e) => [e.configName, e.configValue]),
      );
      expect(entries).toEqual({ 'cleanup.policy': 'delete', 'retention.ms': '3600000' });
    } finally {
      await admin.disconnect();
      await bus.close();
    }
  }, 60_000);
});
