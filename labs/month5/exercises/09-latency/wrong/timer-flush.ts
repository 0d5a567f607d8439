// sends the alerts gathered so far every 200 ms: a shorter timer, still a timer
import { Kafka, logLevel } from 'kafkajs';
import { createClient } from 'redis';
import { detectorConfig, type Alert, type Payment } from 'lakehouse-lab/stream';

const WINDOW_MS = 60_000;
const LIMIT = 5;
const FLUSH_EVERY_MS = 200;

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
setInterval(() => {
  if (pending.length === 0) return;
  const batch = pending;
  pending = [];
  void producer.send({ topic: config.alertsTopic, messages: batch.map((a) => ({ key: a.event_id, value: JSON.stringify(a) })) });
}, FLUSH_EVERY_MS);

await consumer.run({
  eachMessage: async ({ message }) => {
    const alert = await velocity(JSON.parse(message.value!.toString()) as Payment);
    if (alert) pending.push(alert);
  },
});
