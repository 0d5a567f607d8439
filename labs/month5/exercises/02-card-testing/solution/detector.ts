// Exercise 02 · card testing, the reference: the card's tiny payments in a sorted set by event time.
import type { Detector } from 'lakehouse-lab/stream';

const TINY_BELOW = 2.0;
const BIG_FROM = 200.0;
const WINDOW_MS = 10 * 60_000;

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const t = Date.parse(payment.event_time);
    const key = `tiny:${payment.card_id}`;
    if (payment.amount < TINY_BELOW) {
      await redis.multi().zAdd(key, { score: t, value: payment.event_id }).expire(key, 3_600).exec();
      return;
    }
    if (payment.amount < BIG_FROM) return;
    const tiny = await redis.zCount(key, t - WINDOW_MS, `(${t}`);
    if (tiny >= 3) return { event_id: payment.event_id, rule: 'card_testing', score: Math.min(1, tiny / 5) };
  },
};

export default detector;
