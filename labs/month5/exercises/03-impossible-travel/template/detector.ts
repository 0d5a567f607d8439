// Exercise 03 · impossible travel. Alert on a payment when the card's previous payment (the one
// just before it in event time) was in another country, and getting from there to here in the
// time between them would take more than 1,000 km/h (distanceKm(a, b) gives the km between
// two countries' capitals). A new country reached slower than a plane is a trip, not fraud.
import { distanceKm, type Detector } from 'lakehouse-lab/stream';

const MAX_KM_PER_HOUR = 1_000;

const detector: Detector = {
  async onPayment(payment, { redis }) {
    const t = Date.parse(payment.event_time);
    // TODO: read the card's previous payment (country and time) from Redis, compare, then store
    // this one as the card's latest. Alert with { event_id: payment.event_id, rule: 'impossible_travel', score: 0.9 }.
    void redis;
    void t;
    void distanceKm;
    void MAX_KM_PER_HOUR;
  },
};

export default detector;
