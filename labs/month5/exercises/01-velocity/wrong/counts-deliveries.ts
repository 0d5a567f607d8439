// counts deliveries, not payments: a payment delivered twice counts twice
import type { Detector } from 'lakehouse-lab/stream';

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const eventTime = Date.parse(payment.event_time);
    const key = `velocity:${payment.card_id}`;
    await redis.zAdd(key, { score: eventTime, value: `${payment.event_id}:${Math.random()}` });
    const count = await redis.zCount(key, `(${eventTime - 60_000}`, eventTime);
    if (count >= 5) return { event_id: payment.event_id, rule: 'velocity', score: 0.9 };
  },
};

export default detector;
