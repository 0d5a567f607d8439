// Exercise 01 · velocity. Alert on a payment when its card has made at least 5 payments (this
// one included) with an event time in the 60 seconds up to this payment's own event time.
// The window slides: it ends at each payment, not at a minute boundary. Count payments, not
// deliveries: a payment delivered twice has the same event_id.
//
// runDetector is the plumbing (a consumer group on the payments topic, offsets committed after
// each batch's alerts are written). Your part is onPayment: keep each card's recent payments in
// Redis (ctx.redis is a node-redis client) and return an alert when the rule fires.
// Run it on the stream with `lab check month5 01`.
import type { Detector } from 'lakehouse-lab/stream';

const WINDOW_MS = 60_000;
const LIMIT = 5;

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const eventTime = Date.parse(payment.event_time);
    // TODO: remember this payment for its card, count the card's payments in
    // (eventTime - WINDOW_MS, eventTime], and alert when there are LIMIT or more:
    //   return { event_id: payment.event_id, rule: 'velocity', score: 0.9 };
    void redis;
    void eventTime;
    void WINDOW_MS;
    void LIMIT;
  },
};

export default detector;
