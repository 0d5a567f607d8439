/**
 * The detector kit: what a month5 detector imports as 'lakehouse-lab/stream'. `runDetector` is
 * the plumbing — a kafkajs consumer in a consumer group, a Redis client, alerts produced to the
 * alerts topic, offsets committed after each batch's alerts are written — so an exercise is the
 * rule itself. Where and under which names it connects comes from the environment the lab sets.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createClient, type RedisClientType } from 'redis';

/** A payment as the `payments` topic carries it (JSON, keyed by card_id). */
export interface Payment {
  event_id: string;
  card_id: string;
  account_id: string;
  merchant_id: string;
  merchant_category: string;
  /** In the card's currency, with cents: 12.34. */
  amount: number;
  currency: string;
  /** ISO 3166 two-letter code of where the card was used. */
  country: string;
  device_id: string;
  /** When the card was used, ISO 8601 in UTC; `Date.parse(p.event_time)` gives milliseconds. */
  event_time: string;
}

/** What a detector writes to the `alerts` topic. */
export interface Alert {
  event_id: string;
  /** The rule that fired: velocity, card_testing, impossible_travel, amount_spike. */
  rule: string;
  /** How sure the rule is, 0..1. */
  score: number;
}

/** Where a detector runs: set by `lab check` (and by `lab detect` when you run yours by hand). */
export interface DetectorConfig {
  brokers: string[];
  paymentsTopic: string;
  alertsTopic: string;
  deadLetterTopic: string;
  groupId: string;
  redisUrl: string;
}

export function detectorConfig(env: NodeJS.ProcessEnv = process.env): DetectorConfig {
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: a detector is started by \`lab check month5\` (or \`lab detect month5 <exercise>\`), which sets it`);
    return value;
  };
  return {
    brokers: need('LAB_KAFKA_BROKERS').split(','),
    paymentsTopic: env.LAB_PAYMENTS_TOPIC ?? 'payments',
    alertsTopic: env.LAB_ALERTS_TOPIC ?? 'alerts',
    deadLetterTopic: env.LAB_DEAD_LETTER_TOPIC ?? 'payments-dlq',
    groupId: env.LAB_GROUP_ID ?? 'fraud-detector',
    redisUrl: need('LAB_REDIS_URL'),
  };
}

export { COUNTRY_POINTS, distanceKm } from './geography.js';

/** What a rule gets with each payment. */
export interface PaymentContext {
  /** The feature store: a connected node-redis client (`await ctx.redis.zAdd(…)`). */
  redis: RedisClientType;
  /** The partition the payment came from (payments are keyed by card, so one card is always on one partition). */
  partition: number;
  /** Sends this payment to the dead-letter topic instead of scoring it. */
  deadLetter(): void;
}

export interface Detector {
  /** Called once per delivered payment, in partition order; returns the alerts it raises (or none). */
  onPayment(payment: Payment, ctx: PaymentContext): Promise<Alert | Alert[] | void> | Alert | Alert[] | void;
}

/**
 * Runs a detector until the process is stopped: consume a batch, score each payment, produce the
 * batch's alerts, then commit its offsets — so a crash re-delivers payments, and never loses one.
 */
export async function runDetector(detector: Detector, config: DetectorConfig = detectorConfig()): Promise<void> {
  const kafka = new Kafka({ clientId: 'fraud-detector', brokers: config.brokers, logLevel: logLevel.ERROR });
  const redis = createClient({ url: config.redisUrl }) as RedisClientType;
  await redis.connect();
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const consumer = kafka.consumer({ groupId: config.groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  await consumer.subscribe({ topic: config.paymentsTopic, fromBeginning: true });
  const stop = async () => {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await redis.quit().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      const alerts: Alert[] = [];
      const dead: string[] = [];
      for (const message of batch.messages) {
        const raw = message.value?.toString() ?? '';
        let toDeadLetter = false;
        const payment = JSON.parse(raw) as Payment;
        const out = await detector.onPayment(payment, { redis, partition: batch.partition, deadLetter: () => (toDeadLetter = true) });
        if (toDeadLetter) dead.push(raw);
        else if (out) alerts.push(...(Array.isArray(out) ? out : [out]));
      }
      if (alerts.length) await producer.send({ topic: config.alertsTopic, messages: alerts.map((a) => ({ key: a.event_id, value: JSON.stringify(a) })) });
      if (dead.length) await producer.send({ topic: config.deadLetterTopic, messages: dead.map((value) => ({ value })) });
      // Only now are this batch's results written: its offsets may be committed.
      const last = batch.messages[batch.messages.length - 1];
      if (last) {
        resolveOffset(last.offset);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      }
      await heartbeat();
    },
  });
}
