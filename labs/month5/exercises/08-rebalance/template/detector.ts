// Exercise 08 · rebalance. Exercise 04's amount-spike rule, written the way a backend habit
// writes it: the per-card statistics in a Map in the process, which is fast and right as long as
// one process sees every payment of a card forever. The check runs two instances in one consumer
// group (each owns some partitions), kills one mid-stream, and the other takes its partitions
// over: every alert a single clean instance writes must still be written.
// Make the state survive the move: keep it where both instances can read it.
import type { Detector } from 'lakehouse-lab/stream';

const MIN_HISTORY = 20;
const DEVIATIONS = 4;

interface Stats {
  n: number;
  mean: number;
  m2: number;
}

// TODO: this Map dies with its process, and the instance that takes a partition over starts empty.
const stats = new Map<string, Stats>();

const detector: Detector = {
  onPayment(payment) {
    const s = stats.get(payment.card_id) ?? { n: 0, mean: 0, m2: 0 };
    const sd = s.n > 0 ? Math.sqrt(s.m2 / s.n) : 0;
    const spike = s.n >= MIN_HISTORY && payment.amount > s.mean + DEVIATIONS * sd;
    const delta = payment.amount - s.mean;
    const mean = s.mean + delta / (s.n + 1);
    stats.set(payment.card_id, { n: s.n + 1, mean, m2: s.m2 + delta * (payment.amount - mean) });
    if (spike) return { event_id: payment.event_id, rule: 'amount_spike', score: 0.9 };
  },
};

export default detector;
