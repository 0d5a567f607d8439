# Exercise 11 · velocity in Python, the reference: a sorted set per card in Redis, scored by event time.
#
# Alert on a payment when its card has made at least 5 payments (this one included) with an
# event time in the 60 seconds up to this payment's own event time. Count payments, not
# deliveries: a payment delivered twice has the same event_id.
#
# main() is the plumbing: a confluent-kafka consumer in the group LAB_GROUP_ID, alerts produced
# to LAB_ALERTS_TOPIC, offsets committed only after a batch's alerts are flushed. Your part is
# on_payment(): keep each card's recent payments in Redis (a redis-py client) and return an
# alert dict when the rule fires, or None.
#
#   lab stream month5 && lab detect month5 11    runs it by hand
#   lab check month5 11                           grades it against the hidden labels
import json
import os
import signal
from datetime import datetime

import redis
from confluent_kafka import Consumer, Producer

WINDOW_MS = 60_000
LIMIT = 5


def event_ms(payment: dict) -> int:
    return int(datetime.fromisoformat(payment["event_time"].replace("Z", "+00:00")).timestamp() * 1000)


def on_payment(payment: dict, store: redis.Redis):
    """A sorted set per card, scored by event time; the member is the event id, so a redelivery changes nothing."""
    at = event_ms(payment)
    key = f"velocity:{payment['card_id']}"
    pipe = store.pipeline()
    pipe.zadd(key, {payment["event_id"]: at})
    pipe.expire(key, 3_600)
    pipe.zcount(key, f"({at - WINDOW_MS}", at)
    count = pipe.execute()[2]
    if count >= LIMIT:
        return {"event_id": payment["event_id"], "rule": "velocity", "score": min(1.0, count / 10)}
    return None


def main() -> None:
    brokers = os.environ["LAB_KAFKA_BROKERS"]
    consumer = Consumer({"bootstrap.servers": brokers, "group.id": os.environ["LAB_GROUP_ID"], "auto.offset.reset": "earliest", "enable.auto.commit": False})
    producer = Producer({"bootstrap.servers": brokers, "linger.ms": 5})
    store = redis.Redis.from_url(os.environ["LAB_REDIS_URL"])
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    consumer.subscribe([os.environ["LAB_PAYMENTS_TOPIC"]])
    try:
        while running:
            messages = consumer.consume(num_messages=500, timeout=0.2)
            if not messages:
                continue
            for m in messages:
                if m.error():
                    continue
                alert = on_payment(json.loads(m.value()), store)
                if alert:
                    producer.produce(os.environ["LAB_ALERTS_TOPIC"], key=alert["event_id"], value=json.dumps(alert))
            # Written first, committed after: a crash re-reads the batch rather than losing its alerts.
            producer.flush()
            consumer.commit(asynchronous=False)
    finally:
        consumer.close()


if __name__ == "__main__":
    main()
