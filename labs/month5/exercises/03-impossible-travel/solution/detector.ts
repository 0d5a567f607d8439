// Exercise 03 · impossible travel, the reference: a hash per card holding its latest payment.
import { distanceKm, type Detector } from 'lakehouse-lab/stream';

const MAX_KM_PER_HOUR = 1_000;

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const t = Date.parse(payment.event_time);
    const key = `last:${payment.card_id}`;
    const last = await redis.hGetAll(key);
    const lastTime = Number(last.t);
    // A late payment does not replace a newer one: "previous" is by event time.
    if (!last.t || t >= lastTime) await redis.multi().hSet(key, { country: payment.country, t: String(t) }).expire(key, 86_400).exec();
    if (!last.t || last.country === payment.country || t <= lastTime) return;
    const kmPerHour = distanceKm(last.country!, payment.country) / ((t - lastTime) / 3_600_000);
    if (kmPerHour > MAX_KM_PER_HOUR) return { event_id: payment.event_id, rule: 'impossible_travel', score: Math.min(1, kmPerHour / 10_000) };
  },
};

export default detector;
