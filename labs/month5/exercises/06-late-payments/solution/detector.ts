// Exercise 06 · late payments, the reference: the newest event time per partition, in memory.
import type { Detector } from 'lakehouse-lab/stream';

const ALLOWED_LATENESS_MS = 60_000;
// A partition is read in order by one consumer at a time, so its watermark can live in the process.
const watermarks = new Map<number, number>();

const detector: Detector = {
  onPayment(payment, { partition, deadLetter }) {
    const eventTime = Date.parse(payment.event_time);
    const watermark = Math.max(watermarks.get(partition) ?? eventTime, eventTime);
    watermarks.set(partition, watermark);
    if (eventTime < watermark - ALLOWED_LATENESS_MS) deadLetter();
  },
};

export default detector;
