// counts payments per calendar minute (a tumbling window), not in the 60 s before each payment
import type { Detector } from 'lakehouse-lab/stream';

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const minute = Math.floor(Date.parse(payment.event_time) / 60_000);
    const key = `velocity:${payment.card_id}:${minute}`;
    await redis.sAdd(key, payment.event_id);
    await redis.expire(key, 3_600);
    const count = await redis.sCard(key);
    if (count >= 5) return { event_id: payment.event_id, rule: 'velocity', score: 0.9 };
  },
};

export default detector;
