// alerts on every change of country, however long the trip took
import type { Detector } from 'lakehouse-lab/stream';

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const key = `last:${payment.card_id}`;
    const previous = await redis.getSet(key, payment.country);
    if (previous && previous !== payment.country) return { event_id: payment.event_id, rule: 'impossible_travel', score: 0.9 };
  },
};

export default detector;
