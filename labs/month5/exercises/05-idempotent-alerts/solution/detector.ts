// Exercise 05 · idempotent alerts, the reference: SET NX on the payment and rule before alerting.
import type { Detector } from 'lakehouse-lab/stream';

const WINDOW_MS = 60_000;
const LIMIT = 5;

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const eventTime = Date.parse(payment.event_time);
    const key = `velocity:${payment.card_id}`;
    const [, , count] = await redis
      .multi()
      .zAdd(key, { score: eventTime, value: payment.event_id })
      .expire(key, 3_600)
      .zCount(key, `(${eventTime - WINDOW_MS}`, eventTime)
      .exec();
    if (Number(count) < LIMIT) return;
    // The first delivery claims the alert; every later one finds the key and stays quiet.
    const first = await redis.set(`alerted:velocity:${payment.event_id}`, '1', { NX: true, EX: 86_400 });
    if (first === 'OK') return { event_id: payment.event_id, rule: 'velocity', score: 0.9 };
  },
};

export default detector;
