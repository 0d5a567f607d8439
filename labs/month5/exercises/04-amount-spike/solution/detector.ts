// Exercise 04 · amount spike, the reference: Welford's running mean and variance in a hash per card.
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
    // Judged against the history before this payment, then added to it.
    const spike = n >= MIN_HISTORY && payment.amount > mean + DEVIATIONS * sd;
    const delta = payment.amount - mean;
    const nextMean = mean + delta / (n + 1);
    await redis.hSet(key, { n: String(n + 1), mean: String(nextMean), m2: String(m2 + delta * (payment.amount - nextMean)) });
    if (spike) return { event_id: payment.event_id, rule: 'amount_spike', score: Math.min(1, (payment.amount - mean) / (10 * sd || 1)) };
  },
};

export default detector;
