// Exercise 05 · idempotent alerts. Kafka delivers at least once: after a crash, a consumer starts
// again from its last committed offset and sees payments it had already scored. This check
// consumes the whole stream, then restarts your detector from the middle of every partition.
// The velocity rule below is exercise 01's; make its alerts idempotent: one alert per payment and
// rule, however often the payment is delivered (and the Redis state must survive the restart:
// it does, Redis is outside the process).
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
    // TODO: alert only if this payment was not alerted for this rule before.
    if (Number(count) >= LIMIT) return { event_id: payment.event_id, rule: 'velocity', score: 0.9 };
  },
};

export default detector;
