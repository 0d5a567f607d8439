// Exercise 01 · velocity, the reference: a sorted set per card, scored by event time.
import type { Detector } from 'lakehouse-lab/stream';

const WINDOW_MS = 60_000;
const LIMIT = 5;

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const eventTime = Date.parse(payment.event_time);
    const key = `velocity:${payment.card_id}`;
    // The member is the event id: a payment delivered twice stays one member.
    const [, , count] = await redis
      .multi()
      .zAdd(key, { score: eventTime, value: payment.event_id })
      .expire(key, 3_600)
      .zCount(key, `(${eventTime - WINDOW_MS}`, eventTime)
      .exec();
    if (Number(count) >= LIMIT) return { event_id: payment.event_id, rule: 'velocity', score: Math.min(1, Number(count) / 10) };
  },
};

export default detector;
