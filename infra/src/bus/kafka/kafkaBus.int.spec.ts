import { afterAll, beforeAll } from 'vitest';
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
