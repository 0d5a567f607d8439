// Exercise 02 · card testing. A thief checks a stolen card with tiny payments before a big one.
// Alert on a payment of 200.00 or more when the same card made at least 3 payments under 2.00
// in the 10 minutes before it (event time: from t - 10 min up to, not including, t).
// 2.00 itself is not tiny; 200.00 itself is big. Count payments, not deliveries.
import type { Detector } from 'lakehouse-lab/stream';

const TINY_BELOW = 2.0;
const BIG_FROM = 200.0;
const WINDOW_MS = 10 * 60_000;

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const t = Date.parse(payment.event_time);
    // TODO: remember the card's tiny payments; on a big one, count the tiny ones in [t - WINDOW_MS, t)
    // and alert with { event_id: payment.event_id, rule: 'card_testing', score: 0.9 } at 3 or more.
    void redis;
    void t;
    void TINY_BELOW;
    void BIG_FROM;
    void WINDOW_MS;
  },
};

export default detector;
