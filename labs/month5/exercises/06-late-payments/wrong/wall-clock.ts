// measures lateness against the wall clock (processing time), not the stream's event time
import type { Detector } from 'lakehouse-lab/stream';

const detector: Detector = {
  onPayment(payment, { deadLetter }) {
    if (Date.now() - Date.parse(payment.event_time) > 60_000) deadLetter();
  },
};

export default detector;
