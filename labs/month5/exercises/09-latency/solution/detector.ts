// Exercise 09 · latency, the reference: each batch's alerts are sent as soon as the batch is
// scored, then its offsets committed. At 2,000 payments/s a batch is a few milliseconds of the
// stream, so batching by the consumer's own fetches is all the batching there is.
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

const producer = kafka.producer();
await producer.connect();
// A short fetch wait: the broker answers as soon as a payment is there, not after its default 5 s at most.
const consumer = kafka.consumer({ groupId: config.groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 50 });
await consumer.connect();
await consumer.subscribe({ topic: config.paymentsTopic, fromBeginning: true });

await consumer.run({
  autoCommit: false,
  eachBatch: async ({ batch, heartbeat }) => {
    const alerts: Alert[] = [];
    for (const message of batch.messages) {
      const alert = await velocity(JSON.parse(message.value!.toString()) as Payment);
      if (alert) alerts.push(alert);
    }
    if (alerts.length) await producer.send({ topic: config.alertsTopic, messages: alerts.map((a) => ({ key: a.event_id, value: JSON.stringify(a) })) });
    const last = batch.messages[batch.messages.length - 1];
    if (last) await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
    await heartbeat();
  },
});
