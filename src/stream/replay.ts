/**
 * Producing the lab's stream into Kafka: keyed by card (one card, one partition, in order), as
 * fast as the broker takes it in large batches, or paced at a fixed rate. `lab stream`, the
 * grader and the benchmark share it.
 */
import type { Kafka, Producer } from 'kafkajs';

/** One payment as the topic carries it: the card as key, the JSON payment as value. */
export type KeyedPayment = [key: string, value: string];

export const PAYMENTS_PARTITIONS = 3;
/** Messages per request when nothing paces the producer: large batches are what make it fast. */
const FAST_BATCH = 5_000;
/** How often a paced producer sends what is due. */
const PACE_TICK_MS = 10;

/** What paymentsOf needs of a dataset's SQL session (DuckDB's). */
interface QuerySession {
  queryJson(sql: string): Promise<{ rows: unknown[][] }>;
}

/** The dataset's stream in arrival order (redeliveries and late payments where they arrived). */
export async function paymentsOf(session: QuerySession, from = 0): Promise<KeyedPayment[]> {
  const { rows } = await session.queryJson(
    `SELECT card_id, json_object('event_id', event_id, 'card_id', card_id, 'account_id', account_id, 'merchant_id', merchant_id, 'merchant_category', merchant_category,
       'amount', amount::DOUBLE, 'currency', currency, 'country', country, 'device_id', device_id, 'event_time', strftime(event_time, '%Y-%m-%dT%H:%M:%S.%gZ'))::VARCHAR
     FROM payments ORDER BY seq OFFSET ${Math.max(0, Math.floor(from))}`,
  );
  return rows.map(([k, v]) => [String(k), String(v)]);
}

export interface ReplayProgress {
  sent: number;
  elapsedMs: number;
}

export interface ReplayOptions {
  /** Payments per second; without it, as fast as the broker acknowledges. */
  rate?: number;
  /** Stop after this long even if payments remain. */
  durationMs?: number;
  /** Stops between two sends (Ctrl-C). */
  signal?: AbortSignal;
  /** One message per request instead of batches: the lesson's slow side. */
  perMessage?: boolean;
  onProgress?: (p: ReplayProgress) => void;
  /** Each message's timestamp is its send time, so a consumer can measure its delay from it. */
  onSent?: (first: number, count: number, at: number) => void;
}

/** Produces `payments` into `topic`; returns how many were sent and how long it took. */
export async function replayPayments(kafka: Kafka, topic: string, payments: KeyedPayment[], opts: ReplayOptions = {}): Promise<ReplayProgress> {
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const started = performance.now();
  let sent = 0;
  const elapsed = () => performance.now() - started;
  const over = () => opts.signal?.aborted || (opts.durationMs !== undefined && elapsed() >= opts.durationMs);
  const send = async (count: number) => {
    const at = Date.now();
    const slice = payments.slice(sent, sent + count);
    await producer.send({ topic, acks: -1, messages: slice.map(([key, value]) => ({ key, value, timestamp: String(at) })) });
    opts.onSent?.(sent, slice.length, at);
    sent += slice.length;
  };
  let lastReport = 0;
  const report = (force = false) => {
    if (!opts.onProgress || (!force && elapsed() - lastReport < 250)) return;
    lastReport = elapsed();
    opts.onProgress({ sent, elapsedMs: elapsed() });
  };
  try {
    while (sent < payments.length && !over()) {
      if (opts.rate) {
        const due = Math.min(payments.length, Math.floor((elapsed() / 1000) * opts.rate)) - sent;
        if (due > 0) await send(opts.perMessage ? 1 : due);
        else await new Promise((r) => setTimeout(r, PACE_TICK_MS));
      } else {
        await send(opts.perMessage ? 1 : FAST_BATCH);
      }
      report();
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  report(true);
  return { sent, elapsedMs: elapsed() };
}
