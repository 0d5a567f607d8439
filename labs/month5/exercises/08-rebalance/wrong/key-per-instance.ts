// keeps the statistics in Redis, but under a key per instance "so two processes never clash"
import type { Detector } from 'lakehouse-lab/stream';

const MIN_HISTORY = 20;
const DEVIATIONS = 4;
const INSTANCE = `${process.pid}`;

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const key = `stats:${INSTANCE}:${payment.card_id}`;
    const s = await redis.hGetAll(key);
    const n = Number(s.n ?? 0);
    const mean = Number(s.mean ?? 0);
    const m2 = Number(s.m2 ?? 0);
    const sd = n > 0 ? Math.sqrt(m2 / n) : 0;
    const spike = n >= MIN_HISTORY && payment.amount > mean + DEVIATIONS * sd;
    const delta = payment.amount - mean;
    const nextMean = mean + delta / (n + 1);
    await redis.hSet(key, { n: String(n + 1), mean: String(nextMean), m2: String(m2 + delta * (payment.amount - nextMean)) });
    if (spike) return { event_id: payment.event_id, rule: 'amount_spike', score: 0.9 };
  },
};

export default detector;
