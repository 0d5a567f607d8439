// adds the payment to the statistics before judging it, so a spike raises its own bar
import type { Detector } from 'lakehouse-lab/stream';

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const key = `stats:${payment.card_id}`;
    const s = await redis.hGetAll(key);
    const n = Number(s.n ?? 0) + 1;
    const mean = Number(s.mean ?? 0);
    const delta = payment.amount - mean;
    const nextMean = mean + delta / n;
    const m2 = Number(s.m2 ?? 0) + delta * (payment.amount - nextMean);
    await redis.hSet(key, { n: String(n), mean: String(nextMean), m2: String(m2) });
    if (n - 1 >= 20 && payment.amount > nextMean + 4 * Math.sqrt(m2 / n)) return { event_id: payment.event_id, rule: 'amount_spike', score: 0.9 };
  },
};

export default detector;
