// Exercise 09 · latency. A fraud alert is worth something only while the payment can still be
// stopped. This detector runs the velocity rule of exercise 01 in its own loop and writes its
// alerts the way a batch job writes rows: collected, then sent once 50 have gathered or a
// second has passed. The check sends the stream at 2,000 payments/s and times every alert from
// its payment's send to its arrival on the alerts topic: p99 must be at most 150 ms.
// Send alerts as soon as they are decided, and commit after they are written (exercise 07).
import { Kafka, logLevel } from 'kafkajs';
import { createClient } from 'redis';
import { detectorConfig, type Alert, type Payment } from 'lakehouse-lab/stream';

const WINDOW_MS = 60_000;
const LIMIT = 5;
const FLUSH_AT = 50;
const FLUSH_EVERY_MS = 1_000;

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
const consumer = kafka.consumer({ groupId: config.groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
await consumer.connect();
await consumer.subscribe({ topic: config.paymentsTopic, fromBeginning: true });

let pending: Alert[] = [];
let lastFlush = Date.now();
async function flush(): Promise<void> {
  const batch = pending;
  pending = [];
  lastFlush = Date.now();
  if (batch.length) await producer.send({ topic: config.alertsTopic, messages: batch.map((a) => ({ key: a.event_id, value: JSON.stringify(a) })) });
}

await consumer.run({
  autoCommit: false,
  eachBatch: async ({ batch, heartbeat }) => {
    for (const message of batch.messages) {
      const alert = await velocity(JSON.parse(message.value!.toString()) as Payment);
      if (alert) pending.push(alert);
    }
    // TODO: a quiet stream can keep an alert waiting here for a second, or until 50 gather.
    if (pending.length >= FLUSH_AT || Date.now() - lastFlush >= FLUSH_EVERY_MS) await flush();
    const last = batch.messages[batch.messages.length - 1];
    // Committed only once its alerts are sent: nothing still pending is behind this offset.
    if (last && pending.length === 0) await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
    await heartbeat();
  },
});
