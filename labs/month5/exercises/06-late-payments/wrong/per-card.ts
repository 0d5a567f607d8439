// keeps a watermark per card instead of per partition: a card that paid nothing since looks on time
import type { Detector } from 'lakehouse-lab/stream';

const newest = new Map<string, number>();

const detector: Detector = {
  onPayment(payment, { deadLetter }) {
    const t = Date.parse(payment.event_time);
    const watermark = Math.max(newest.get(payment.card_id) ?? t, t);
    newest.set(payment.card_id, watermark);
    if (t < watermark - 60_000) deadLetter();
  },
};

export default detector;
