/**
 * Deterministic data for the orchestration and Spark lab (month2): a shop's daily order drops as
 * JSON-lines files, one folder per day, as a nightly export lands them (lines resent, orders
 * updated later the same day, some cancelled); the source's faults per day (transient failures,
 * a late drop, an outage); and a skewed clickstream with a small customer dimension for Spark.
 *
 * Values come from a seeded PRNG (mulberry32) walked in one fixed order, so the same seed and
 * scale give the same rows on every machine.
 */

import type { Scale } from '../../src/lab/scale.js';
import { random } from '../random.js';

export interface DailySize {
  days: number;
  ordersPerDay: number;
  customers: number;
  events: number;
}

export const SIZES: Record<Scale, DailySize> = {
  small: { days: 10, ordersPerDay: 150, customers: 1_000, events: 60_000 },
  medium: { days: 21, ordersPerDay: 1_500, customers: 5_000, events: 600_000 },
  large: { days: 45, ordersPerDay: 6_000, customers: 20_000, events: 2_400_000 },
};

/** The first day of every dataset's drops. */
export const FIRST_DAY = '2024-03-01';

/** The customer whose share of the clickstream skews a join on customer_id (a scraper behind one account). */
export const SKEWED_CUSTOMER = 1;
export const SKEWED_SHARE = 0.35;
/** Clicks of visitors who never signed up: a customer id no row of `customers` has. */
export const ANONYMOUS_CUSTOMER = 0;

export interface LandingLine {
  day: string;
  line: number;
  order_id: string;
  customer_id: number;
  status: 'placed' | 'shipped' | 'cancelled';
  amount_cents: number;
  updated_at: string;
}

/** What the source does on a day: fails transiently this many times first, lands late by this much, or is down for a whole first run. */
export interface DayFaults {
  day: string;
  transient_failures: number;
  late_ms: number;
  outage: boolean;
}

export interface Customer {
  customer_id: number;
  country: string;
  segment: string;
}

export interface ClickEvent {
  event_id: number;
  customer_id: number;
  kind: 'view' | 'cart' | 'buy';
  amount_cents: number;
  ts: string;
}

export interface DailyData {
  days: string[];
  landing: LandingLine[];
  faults: DayFaults[];
  customers: Customer[];
  events: ClickEvent[];
}

const COUNTRIES = ['DE', 'FR', 'NL', 'ES', 'IT', 'GB', 'US', 'BR', 'JP', 'IN'];
const SEGMENTS = ['consumer', 'consumer', 'consumer', 'business', 'reseller'];
/** How long a late drop lands after a run starts: long enough that reading at once finds nothing. */
export const LATE_MS = 4_000;

export function dayAfter(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const stamp = (day: string, secondOfDay: number) => `${day}T${new Date(secondOfDay * 1000).toISOString().slice(11, 19)}Z`;

export function generateDaily(seed: number, scale: Scale): DailyData {
  const size = SIZES[scale];
  const rnd = random(seed * 7919 + 17);
  const days = Array.from({ length: size.days }, (_, i) => dayAfter(FIRST_DAY, i));

  const landing: LandingLine[] = [];
  for (const day of days) {
    const lines: Array<Omit<LandingLine, 'line'>> = [];
    for (let n = 1; n <= size.ordersPerDay; n++) {
      const order_id = `o-${day.replace(/-/g, '')}-${String(n).padStart(5, '0')}`;
      // The scraper's account (the clickstream's hot key) also buys: a skewed join meets its orders.
      const customer_id = n % 50 === 0 ? SKEWED_CUSTOMER : rnd.int(1, size.customers);
      const at = rnd.int(0, 70_000);
      const amount_cents = rnd.int(300, 40_000);
      const first = { day, order_id, customer_id, status: 'placed' as const, amount_cents, updated_at: stamp(day, at) };
      lines.push(first);
      const r = rnd.next();
      // Later the same day: shipped, or cancelled (the cancelled order must not count), or its amount corrected.
      if (r < 0.06) lines.push({ ...first, status: 'cancelled', updated_at: stamp(day, at + rnd.int(60, 10_000)) });
      else if (r < 0.2) lines.push({ ...first, status: 'shipped', updated_at: stamp(day, at + rnd.int(60, 10_000)) });
      else if (r < 0.24) lines.push({ ...first, amount_cents: amount_cents - rnd.int(100, 250), updated_at: stamp(day, at + rnd.int(60, 10_000)) });
      // The export resends a line now and then: the same line twice.
      if (rnd.next() < 0.05) lines.push({ ...lines[lines.length - 1]! });
    }
    // The file is in export order, not in time order.
    rnd.shuffle(lines).forEach((l, i) => landing.push({ ...l, line: i + 1 }));
  }

  // Faults on distinct days, chosen per seed; the first day is never late (a backfill starts there).
  const order = rnd.shuffle(days.slice(1));
  const faults: DayFaults[] = days.map((day) => ({ day, transient_failures: 0, late_ms: 0, outage: false }));
  const at = (day: string) => faults.find((f) => f.day === day)!;
  at(order[0]!).transient_failures = 2;
  at(order[1]!).transient_failures = 1;
  at(order[2]!).transient_failures = 2;
  at(order[3]!).late_ms = LATE_MS;
  at(order[4]!).outage = true;

  const customers: Customer[] = Array.from({ length: size.customers }, (_, i) => ({ customer_id: i + 1, country: rnd.pick(COUNTRIES), segment: rnd.pick(SEGMENTS) }));

  const events: ClickEvent[] = [];
  const start = Date.parse(`${FIRST_DAY}T00:00:00Z`);
  const spanMs = size.days * 86_400_000;
  for (let i = 1; i <= size.events; i++) {
    const c = rnd.next();
    // A visitor who never signed up is customer 0: in no row of `customers`.
    const customer_id = c < SKEWED_SHARE ? SKEWED_CUSTOMER : c < SKEWED_SHARE + 0.01 ? ANONYMOUS_CUSTOMER : rnd.int(2, size.customers);
    const k = rnd.next();
    const kind = k < 0.8 ? 'view' : k < 0.95 ? 'cart' : 'buy';
    events.push({ event_id: i, customer_id, kind, amount_cents: kind === 'buy' ? rnd.int(300, 40_000) : 0, ts: new Date(start + Math.floor(rnd.next() * spanMs)).toISOString() });
  }
  return { days, landing, faults, customers, events };
}
