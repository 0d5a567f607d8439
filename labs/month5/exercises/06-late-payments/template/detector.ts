// Exercise 06 · late payments. Payments arrive out of order; windows must close at some point.
// Keep a watermark per partition: the newest event time seen on that partition so far. A payment
// whose event time is more than 60 s behind its partition's watermark is too late: send it to
// the dead-letter topic (ctx.deadLetter()) instead of scoring it. Payments late by less than
// that are scored as usual (here: nothing to score, return nothing).
import type { Detector } from 'lakehouse-lab/stream';

const ALLOWED_LATENESS_MS = 60_000;

const detector: Detector = {
  onPayment(payment, { partition, deadLetter }) {
    const eventTime = Date.parse(payment.event_time);
    // TODO: keep the newest event time per partition; call deadLetter() for a payment more than
    // ALLOWED_LATENESS_MS behind it.
    void partition;
    void deadLetter;
    void eventTime;
    void ALLOWED_LATENESS_MS;
  },
};

export default detector;
