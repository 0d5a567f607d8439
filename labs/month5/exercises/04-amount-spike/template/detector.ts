// Exercise 04 · amount spike. Alert on a payment when its card already has at least 20 earlier
// payments and this amount is above their mean plus 4 standard deviations (the earlier ones:
// not counting this payment). The baseline is the card's own: 300.00 is a spike for one card
// and a Tuesday for another. Keep a running count, mean and deviation per card in Redis
// (Welford's update), not the whole history.
import type { Detector } from 'lakehouse-lab/stream';

const MIN_HISTORY = 20;
const DEVIATIONS = 4;

const detector: Detector = {
  async onPayment(payment, { redis }) {
    // TODO: read the card's statistics, decide, then add this payment to them.
    // Alert with { event_id: payment.event_id, rule: 'amount_spike', score: 0.9 }.
    void redis;
    void MIN_HISTORY;
    void DEVIATIONS;
  },
};

export default detector;
