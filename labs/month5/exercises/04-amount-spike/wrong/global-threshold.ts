// one threshold for every card (amounts over 500.00), not the card's own history
import type { Detector } from 'lakehouse-lab/stream';

const detector: Detector = {
  onPayment(payment) {
    if (payment.amount > 500) return { event_id: payment.event_id, rule: 'amount_spike', score: 0.9 };
  },
};

export default detector;
