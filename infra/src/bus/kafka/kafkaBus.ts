import { Kafka, logLevel, type Admin, type Consumer, type KafkaConfig, type LogEntry, type Producer } from 'kafkajs';
import type { EventEnvelope } from '@estia/contracts';
import type { Bus, BusConsumer, ConsumeOptions, DeliveredMessage } from '../types.js';
import { silentLogger, type BusLogger } from '../logger.js';
import { Waker } from '../wakeableSleep.js';
import { cloudEventHeaders } from './cloudEventHeaders.js';

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
  /** How long consume() waits for the group join. */
  readyTimeoutMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  logger?: BusLogger;
}

const parseValue = (raw: Buffer | null): EventEnvelope => {
  const text = raw?.toString('utf8') ?? '';
  try {
    return JSON.parse(text) as EventEnvelope;
  } catch {
    // Handed on as is: the consumer's envelope validation dead-letters it with a readable error.
    return text as unknown as EventEnvelope;
  }
};

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
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const all: DeliveredMessage[] = batch.messages.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key?.toString('utf8') ?? '',
            value: parseValue(m.value),
          }));
          for (let start = 0; start < all.length; start += maxBatchSize) {
            const slice = all.slice(start, start + maxBatchSize);
            for (let failures = 0; ;) {
              // A rebalance took the partition, or stop(): leave the rest uncommitted for the next owner.
              if (!isRunning() || isStale() || this.stopping) return;
              try {
                await this.opts.handler(slice);
                break;
              } catch (error) {
                failures += 1;
                const delay = Math.min(retryMaxMs, retryInitialMs * 2 ** (failures - 1));
                logger.error(
                  { err: error, group: this.opts.group, topic: batch.topic, delay },
                  'bus: batch failed, redelivering',
                );
                await this.waker.sleep(delay);
                await heartbeat();
              }
            }
            const last = slice[slice.length - 1]!.offset;
            resolveOffset(last);
            // Committed only now: the handler's transaction is durable, so a crash here only redelivers.
            await this.consumer.commitOffsets([
              { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
            ]);
            await heartbeat();
          }
        },
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
    async ping() {
      const a = await getAdmin();
      await a.describeCluster();
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...consumers].map((c) => c.stop()));
      if (producer !== undefined) await (await producer).disconnect();
      if (admin !== undefined) await (await admin).disconnect();
    },
  };
}
