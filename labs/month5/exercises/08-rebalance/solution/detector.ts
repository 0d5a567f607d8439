// Exercise 08 · rebalance, the reference: the statistics in a Redis hash per card, so the instance
// that takes a partition over reads the history the other one wrote. A payment adds to them once
// (SET NX on its event id): the killed instance's last uncommitted batch is delivered again.
import type { Detector } from 'lakehouse-lab/stream';

const MIN_HISTORY = 20;
const DEVIATIONS = 4;

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const key = `stats:${payment.card_id}`;
    const s = await redis.hGetAll(key);
    const n = Number(s.n ?? 0);
    const mean = Number(s.mean ?? 0);
    const m2 = Number(s.m2 ?? 0);
    const sd = n > 0 ? Math.sqrt(m2 / n) : 0;
    const spike = n >= MIN_HISTORY && payment.amount > mean + DEVIATIONS * sd;
    if ((await redis.set(`counted:${payment.event_id}`, '1', { NX: true, EX: 86_400 })) === 'OK') {
      const delta = payment.amount - mean;
      const nextMean = mean + delta / (n + 1);
      await redis.hSet(key, { n: String(n + 1), mean: String(nextMean), m2: String(m2 + delta * (payment.amount - nextMean)) });
    }
    if (spike) return { event_id: payment.event_id, rule: 'amount_spike', score: 0.9 };
  },
};

export default detector;
