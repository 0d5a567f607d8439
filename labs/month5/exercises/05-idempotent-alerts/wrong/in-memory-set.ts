// remembers alerted payments in the process's memory, which a restart forgets
import type { Detector } from 'lakehouse-lab/stream';

const alerted = new Set<string>();

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const eventTime = Date.parse(payment.event_time);
    const key = `velocity:${payment.card_id}`;
    await redis.zAdd(key, { score: eventTime, value: payment.event_id });
    const count = await redis.zCount(key, `(${eventTime - 60_000}`, eventTime);
    if (count >= 5 && !alerted.has(payment.event_id)) {
      alerted.add(payment.event_id);
      return { event_id: payment.event_id, rule: 'velocity', score: 0.9 };
    }
  },
};

export default detector;
