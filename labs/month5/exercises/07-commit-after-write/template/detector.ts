// Exercise 07 · commit after write. This detector runs its own consumer loop (no kit): the
// velocity rule of exercise 01, alerts collected in memory and sent twice a second in one request
// "to save round trips", offsets committed by kafkajs as soon as each message is handled. It works
// until it crashes. The check runs it once, then again with a kill -9 in the middle of the stream
// and a restart: every alert of the clean run must still be written, and none twice.
// Fix the order: an offset may be committed only once the alerts of the payments before it are
// on the alerts topic. (Kafka transactions go further: see the hints.)
import { Kafka, logLevel } from 'kafkajs';
import { createClient } from 'redis';
import { detectorConfig, type Alert, type Payment } from 'lakehouse-lab/stream';

const WINDOW_MS = 60_000;
const LIMIT = 5;

const config = detectorConfig();
const kafka = new Kafka({ clientId: 'fraud-detector', brokers: config.brokers, logLevel: logLevel.ERROR });
const redis = createClient({ url: config.redisUrl });
await redis.connect();

/** Exercise 01's rule: 5 payments of a card within 60 s of event time (the member is the event id, so a redelivery counts once). */
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
}, 500);

// TODO: autoCommit commits a message's offset once eachMessage returns — while its alert still
// waits in `pending`. A crash then loses it: the restart begins after it.
await consumer.run({
  eachMessage: async ({ message }) => {
    const alert = await velocity(JSON.parse(message.value!.toString()) as Payment);
    if (alert) pending.push(alert);
  },
});
