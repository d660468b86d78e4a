import {
  Kafka,
  logLevel,
  type Admin,
  type ConfigResourceTypes,
  type Consumer,
  type KafkaConfig,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import { type Bus, type BusConsumer, type ConsumeOptions } from '../types.js';
import { silentLogger, type BusLogger } from '../logger.js';
import { Waker } from '../wakeableSleep.js';
import { cloudEventHeaders } from './cloudEventHeaders.js';
import { processKafkaBatch } from './batchProcessor.js';

export interface KafkaBusOptions {
  brokers: readonly string[];
  clientId: string;
  ssl?: KafkaConfig['ssl'];
  sasl?: KafkaConfig['sasl'];
  /** Used when the bus creates a missing topic. Order is per key, so partitions only add parallelism. */
  numPartitions?: number;
  /** Default: the broker's default.replication.factor (-1). */
  replicationFactor?: number;
  /** Max messages per handler call (a Kafka fetch can return thousands). */
  maxBatchSize?: number;
  /** How long the group waits for a silent member (e.g. a killed process) before rebalancing. Default 30 s. */
  sessionTimeoutMs?: number;
  /** How long ping() waits for the cluster. Default 3 s. */
  pingTimeoutMs?: number;
  /** How long consume() waits for the group join. */
  readyTimeoutMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /**
   * retention.ms of the topics the bus creates (all cleanup.policy=delete: event topics are logs of
   * every stream's history, never compacted by key). Default 7 days, like RETENTION_BUS_HOURS.
   */
  retentionMs?: number;
  logger?: BusLogger;
}

const logCreator =
  (logger: BusLogger) =>
  () =>
  ({ level, log }: LogEntry): void => {
    const { message, ...extra } = log;
    if (level === logLevel.ERROR) logger.error({ kafka: extra }, `kafka: ${message}`);
    else if (level === logLevel.WARN) logger.warn({ kafka: extra }, `kafka: ${message}`);
    else logger.info({ kafka: extra }, `kafka: ${message}`);
  };

/**
 * Kafka adapter: one topic per publishing service, key = aggregate id (so order holds per key), an
 * idempotent producer waiting for all in-sync replicas, and consumer groups that commit an offset only
 * after the handler (the consumer's own transaction) resolved.
 */
/** The settings every event topic is created with (also in docker-compose.yml and the AsyncAPI bindings). */
export const topicConfig = (retentionMs: number): { name: string; value: string }[] => [
  { name: 'cleanup.policy', value: 'delete' },
  { name: 'retention.ms', value: String(retentionMs) },
];

export function createKafkaBus(options: KafkaBusOptions): Bus {
  const logger = options.logger ?? silentLogger;
  const maxBatchSize = options.maxBatchSize ?? 500;
  const retryInitialMs = options.retryInitialMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 5_000;
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
    ...(options.sasl === undefined ? {} : { sasl: options.sasl }),
    logLevel: logLevel.WARN,
    logCreator: logCreator(logger),
  });

  let producer: Promise<Producer> | undefined;
  let admin: Promise<Admin> | undefined;
  const knownTopics = new Map<string, Promise<void>>();
  const retentionMs = options.retentionMs ?? 7 * 24 * 3_600_000;
  const checkedPolicy = new Set<string>();
  const consumers = new Set<KafkaConsumer>();
  let closed = false;

  const getAdmin = (): Promise<Admin> =>
    (admin ??= (async () => {
      const a = kafka.admin();
      await a.connect();
      return a;
    })().catch((error: unknown) => {
      admin = undefined;
      throw error;
    }));

  const getProducer = (): Promise<Producer> =>
    (producer ??= (async () => {
      // Idempotent: the broker drops a retried duplicate, and with one request in flight a retry
      // cannot reorder messages of one key.
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await p.connect();
      return p;
    })().catch((error: unknown) => {
      producer = undefined;
      throw error;
    }));

  const ensureTopic = (topic: string): Promise<void> => {
    let known = knownTopics.get(topic);
    if (known === undefined) {
      known = (async () => {
        const a = await getAdmin();
        await a.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic,
              numPartitions: options.numPartitions ?? 3,
              replicationFactor: options.replicationFactor ?? -1,
              configEntries: topicConfig(retentionMs),
            },
          ],
        });
      })().catch((error: unknown) => {
        knownTopics.delete(topic);
        throw error;
      });
      knownTopics.set(topic, known);
    }
    return known;
  };

  // kafkajs is CommonJS and its enum is not a named ESM export: the value of ConfigResourceTypes.TOPIC.
  const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

  /** A topic created by hand or by an older version may be compacted: that would keep one message per stream. */
  const warnIfCompacted = async (topic: string): Promise<void> => {
    if (checkedPolicy.has(topic)) return;
    try {
      const a = await getAdmin();
      const described = await a.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: ['cleanup.policy'] }],
      });
      const policy = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy');
      checkedPolicy.add(topic);
      if (policy?.configValue.includes('compact'))
        logger.warn(
          { topic, cleanupPolicy: policy.configValue },
          'bus: topic is compacted, which keeps only the latest message of each stream ' +
            '(kafka-configs --alter --add-config cleanup.policy=delete)',
        );
    } catch (error) {
      logger.warn({ topic, err: error }, 'bus: could not read the cleanup.policy of the topic');
    }
  };

  class KafkaConsumer implements BusConsumer {
    readonly ready: Promise<void>;
    private readonly consumer: Consumer;
    private readonly waker = new Waker();
    private stopping = false;
    private stopped: Promise<void> | undefined;

    constructor(private readonly opts: ConsumeOptions) {
      this.consumer = kafka.consumer({
        groupId: opts.group,
        allowAutoTopicCreation: false,
        sessionTimeout: options.sessionTimeoutMs ?? 30_000,
        heartbeatInterval: Math.max(500, Math.floor((options.sessionTimeoutMs ?? 30_000) / 10)),
      });
      this.ready = this.start();
      opts.signal?.addEventListener('abort', () => void this.stop(), { once: true });
    }

    private async start(): Promise<void> {
      const joined = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`kafka: group ${this.opts.group} did not join within the timeout`)),
          options.readyTimeoutMs ?? 60_000,
        );
        this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await Promise.all(this.opts.topics.map(ensureTopic));
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [...this.opts.topics], fromBeginning: this.opts.fromBeginning ?? false });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: ({ batch, resolveOffset, heartbeat, isRunning, isStale }) =>
          processKafkaBatch(batch, {
            handler: this.opts.handler,
            maxBatchSize: this.opts.maxBatchSize ?? maxBatchSize,
            // A rebalance took the partition, or stop(): leave the rest uncommitted for the next owner.
            canContinue: () => isRunning() && !isStale() && !this.stopping,
            backoff: async (failures, error) => {
              const delay = Math.min(retryMaxMs, retryInitialMs * 2 ** (failures - 1));
              logger.error(
                { err: error, group: this.opts.group, topic: batch.topic, delay },
                'bus: batch failed, redelivering',
              );
              await this.waker.sleep(delay);
            },
            heartbeat,
            commit: async (nextOffset, lastOffset) => {
              resolveOffset(lastOffset);
              // Only now: the handler's transaction is durable, so a crash from here on only redelivers.
              await this.consumer.commitOffsets([
                { topic: batch.topic, partition: batch.partition, offset: nextOffset },
              ]);
            },
          }),
      });
      await joined;
    }

    stop(): Promise<void> {
      this.stopped ??= (async () => {
        this.stopping = true;
        this.waker.wakeAll();
        // stop() waits for the running eachBatch; disconnect() leaves the group so a peer takes over at once.
        await this.consumer.stop();
        await this.consumer.disconnect();
        consumers.delete(this);
      })();
      return this.stopped;
    }
  }

  return {
    kind: 'kafka',
    async publish(topic, messages) {
      if (closed) throw new Error('bus is closed');
      if (messages.length === 0) return;
      await ensureTopic(topic);
      const p = await getProducer();
      await p.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({
          key: m.key,
          value: JSON.stringify(m.value),
          headers: cloudEventHeaders(m.value),
        })),
      });
    },
    async forget(topic) {
      if (closed) throw new Error('bus is closed');
      // Event topics are cleanup.policy=delete (a compacted topic would keep only one message per
      // stream): Kafka cannot delete a record, so an erased client's earlier payloads leave the topic
      // when retention.ms has passed. The erasure message itself was published before this call.
      await warnIfCompacted(topic);
    },
    async consume(opts) {
      if (closed) throw new Error('bus is closed');
      const consumer = new KafkaConsumer(opts);
      consumers.add(consumer);
      try {
        await consumer.ready;
      } catch (error) {
        await consumer.stop().catch(() => undefined);
        throw error;
      }
      return consumer;
    },
    async lag(group, topics) {
      const a = await getAdmin();
      let messages = 0;
      for (const topic of topics) {
        const [ends, committedOffsets] = await Promise.all([
          a.fetchTopicOffsets(topic),
          a.fetchOffsets({ groupId: group, topics: [topic] }),
        ]);
        const committedByPartition = new Map(
          (committedOffsets[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
        );
        for (const end of ends) {
          const committed = committedByPartition.get(end.partition) ?? -1;
          // -1: nothing committed yet; the group starts at the earliest retained message.
          const from = committed < 0 ? Number(end.low) : Math.max(committed, Number(end.low));
          messages += Math.max(0, Number(end.high) - from);
        }
      }
      return { messages, seconds: null };
    },
    async prune() {
      // The broker applies the topic's retention.ms (cleanup.policy=delete) by itself.
      return 0;
    },
    async ping() {
      // /ready must answer quickly; kafkajs itself retries a dead broker for many seconds.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('kafka: no broker answered the ping in time')),
          options.pingTimeoutMs ?? 3_000,
        );
      });
      try {
        await Promise.race([getAdmin().then((a) => a.describeCluster()), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...consumers].map((c) => c.stop()));
      // A client that never connected has nothing to disconnect.
      await producer?.then(
        (p) => p.disconnect(),
        () => undefined,
      );
      await admin?.then(
        (a) => a.disconnect(),
        () => undefined,
      );
    },
  };
}
