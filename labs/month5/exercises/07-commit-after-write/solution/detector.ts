// Exercise 07 · commit after write, the reference: exactly-once between topics with a Kafka
// transaction. A batch's alerts and its consumer offsets are committed together, or neither is.
// A kill -9 before the commit aborts both: the restart scores the batch again and writes its
// alerts once. (Consumers of the alerts topic read committed messages only, kafkajs's default.)
import { Kafka, logLevel } from 'kafkajs';
import { createClient } from 'redis';
import { detectorConfig, type Alert, type Payment } from 'lakehouse-lab/stream';

const WINDOW_MS = 60_000;
const LIMIT = 5;

const config = detectorConfig();
const kafka = new Kafka({ clientId: 'fraud-detector', brokers: config.brokers, logLevel: logLevel.ERROR });
const redis = createClient({ url: config.redisUrl });
await redis.connect();

async function velocity(payment: Payment): Promise<Alert | undefined> {
  const eventTime = Date.parse(payment.event_time);
  const key = `velocity:${payment.card_id}`;
  const [, , count] = await redis.multi().zAdd(key, { score: eventTime, value: payment.event_id }).expire(key, 3_600).zCount(key, `(${eventTime - WINDOW_MS}`, eventTime).exec();
  if (Number(count) >= LIMIT) return { event_id: payment.event_id, rule: 'velocity', score: 0.9 };
}

// The same transactional id after a restart fences the killed instance and aborts its open transaction.
const producer = kafka.producer({ transactionalId: `${config.groupId}.alerts`, idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
const consumer = kafka.consumer({ groupId: config.groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
await consumer.connect();
await consumer.subscribe({ topic: config.paymentsTopic, fromBeginning: true });

await consumer.run({
  autoCommit: false,
  eachBatch: async ({ batch, heartbeat }) => {
    const last = batch.messages[batch.messages.length - 1];
    if (!last) return;
    const alerts: Alert[] = [];
    for (const message of batch.messages) {
      const alert = await velocity(JSON.parse(message.value!.toString()) as Payment);
      if (alert) alerts.push(alert);
    }
    const tx = await producer.transaction();
    try {
      if (alerts.length) await tx.send({ topic: config.alertsTopic, messages: alerts.map((a) => ({ key: a.event_id, value: JSON.stringify(a) })) });
      await tx.sendOffsets({ consumerGroupId: config.groupId, topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }] }] });
      await tx.commit();
    } catch (err) {
      await tx.abort();
      throw err;
    }
    await heartbeat();
  },
});
