// counts tiny payments with a counter that never forgets and counts a redelivery again
import type { Detector } from 'lakehouse-lab/stream';

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const key = `tiny:${payment.card_id}`;
    if (payment.amount < 2) {
      await redis.incr(key);
      return;
    }
    if (payment.amount >= 200 && Number(await redis.get(key)) >= 3) return { event_id: payment.event_id, rule: 'card_testing', score: 0.9 };
  },
};

export default detector;
