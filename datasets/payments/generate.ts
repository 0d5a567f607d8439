/**
 * Deterministic card-payment stream for the fraud lab: payments in the order they reach the
 * broker (late, out of order, some delivered twice), and the ground truth a grader judges a
 * detector by — which payments each rule must flag, computed from the rules' own definitions
 * over the stream, so the labels are right by construction, not by hope.
 *
 * Values come from a seeded counter-free PRNG (mulberry32) walked in one fixed order, so the
 * same seed and scale give the same rows on every machine.
 */

import type { Scale } from '../../src/lab/scale.js';
import { distanceKm } from '../../src/stream/geography.js';
import { mulberry32 } from '../random.js';

/** Payments at each scale (before redeliveries). */
export const SCALES: Record<Scale, number> = {
  small: 20_000,
  medium: 200_000,
  large: 1_000_000,
};

/** Where the stream's event time starts. */
export const STREAM_START = Date.UTC(2024, 5, 1, 0, 0, 0);

/** The rules, as the lesson states them; the labels apply exactly these. */
export const RULES = {
  velocity: { payments: 5, withinMs: 60_000 },
  cardTesting: { tinyBelowCents: 200, tinyCount: 3, bigFromCents: 20_000, withinMs: 600_000 },
  impossibleTravel: { kmPerHour: 1_000 },
  amountSpike: { minHistory: 20, deviations: 4 },
  /** A payment this far behind the newest event time seen on its partition goes to the dead-letter topic. */
  allowedLatenessMs: 60_000,
} as const;

export type RuleName = 'velocity' | 'card_testing' | 'impossible_travel' | 'amount_spike' | 'too_late';

const HOME_COUNTRIES = ['DE', 'DE', 'DE', 'FR', 'FR', 'NL', 'ES', 'IT', 'GB', 'GB', 'US', 'US', 'BR', 'JP', 'IN', 'AU', 'NG'];
const NEIGHBOURS: Record<string, string> = { DE: 'NL', FR: 'ES', NL: 'DE', ES: 'FR', IT: 'FR', GB: 'FR', US: 'GB', BR: 'US', JP: 'AU', IN: 'GB', AU: 'JP', NG: 'GB' };
const FAR: Record<string, string> = { DE: 'BR', FR: 'JP', NL: 'AU', ES: 'IN', IT: 'BR', GB: 'AU', US: 'IN', BR: 'DE', JP: 'BR', IN: 'US', AU: 'GB', NG: 'JP' };
const CATEGORIES = ['grocery', 'fuel', 'restaurant', 'electronics', 'travel', 'fashion', 'digital', 'pharmacy'];

export interface Payment {
  /** Arrival order: the order the replay sends them in. */
  seq: number;
  event_id: string;
  card_id: string;
  account_id: string;
  merchant_id: string;
  merchant_category: string;
  amount_cents: number;
  currency: string;
  country: string;
  device_id: string;
  /** When the card was used (ms since the epoch). */
  event_time: number;
  /** When it reached the stream (ms): event_time plus its delay; not sent. */
  arrived_at: number;
}

export interface Label {
  rule: RuleName;
  card_id: string;
  event_id: string;
}

/** A card a trap or a pattern was planted on, and what, for messages ("planted: …"). */
export interface Planted {
  card_id: string;
  pattern: string;
  note: string;
}

export interface PaymentStream {
  payments: Payment[];
  labels: Label[];
  planted: Planted[];
}


interface Draft {
  card: Card;
  event_time: number;
  amount_cents: number;
  country: string;
  delayMs: number;
  /** Another delivery of this draft, this long after the first one arrived. */
  redeliverAfterMs?: number;
}

interface Card {
  id: string;
  account: string;
  home: string;
  device: string;
  baselineCents: number;
  /** Plain cards carry the stream's mess (late events, redeliveries); planted ones stay clean around their pattern. */
  plain: boolean;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Builds the stream of one seed and scale: same arguments, same payments and labels. */
export function generatePayments(seed: number, scale: Scale): PaymentStream {
  const rnd = mulberry32(seed * 2_654_435_761 + SCALES[scale]);
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rnd();
  const int = (lo: number, hi: number) => Math.floor(uniform(lo, hi + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  const target = SCALES[scale];
  const spanMs = (target / 2) * 1000; // two payments a second, in event time
  const perPattern = Math.max(20, Math.round(target / 1000));
  const nCards = Math.max(Math.round(target / 40), perPattern * 16);
  const meanGapMs = spanMs / (target / nCards);
  const cards: Card[] = Array.from({ length: nCards }, (_, i) => ({
    id: `c-${pad(i + 1, 6)}`,
    account: `a-${pad(Math.floor(i / 2) + 1, 6)}`,
    home: pick(HOME_COUNTRIES),
    device: `d-${pad(int(1, 999_999), 6)}`,
    baselineCents: Math.round(Math.exp(uniform(Math.log(1_000), Math.log(40_000)))),
    plain: true,
  }));
  const drafts: Draft[] = [];
  const planted: Planted[] = [];
  const normalAmount = (card: Card) => Math.max(500, Math.round(card.baselineCents * uniform(0.5, 1.5)));

  /** A card's everyday payments over [from, to): at least 20 s apart, so no everyday card reaches the velocity rule. */
  const everyday = (card: Card, from: number, to: number, country = card.home, meanGap = meanGapMs): Draft[] => {
    const out: Draft[] = [];
    for (let t = from + uniform(0, meanGap); t < to; t += 20_000 + -Math.log(1 - rnd()) * (meanGap - 20_000)) {
      out.push({ card, event_time: Math.round(t), amount_cents: normalAmount(card), country, delayMs: int(0, 2_000) });
    }
    return out;
  };
  // Planted cards are taken from the end of the list, one pattern after another.
  let nextPlanted = nCards - 1;
  const plant = (pattern: string, note: string, count: number, build: (card: Card, i: number) => void) => {
    for (let i = 0; i < count; i++) {
      const card = cards[nextPlanted--]!;
      card.plain = false;
      planted.push({ card_id: card.id, pattern, note });
      build(card, i);
    }
  };
  /** Everyday payments before and after a quiet hour around `at`, and the pattern's own inside it. */
  const around = (card: Card, at: number, pattern: Draft[], quietAfterMs = 15 * 60_000) => {
    drafts.push(...everyday(card, 0, at - 15 * 60_000), ...pattern, ...everyday(card, at + quietAfterMs, spanMs));
  };
  const moment = () => Math.round(uniform(0.3, 0.9) * spanMs);
  const at = (card: Card, event_time: number, amount_cents: number, country = card.home): Draft => ({ card, event_time, amount_cents, country, delayMs: int(0, 800) });

  // velocity: bursts of 5–8 payments within 40 s, each one across a minute boundary (a tumbling minute sees at most 4).
  plant('velocity burst', '5–8 payments within 40 s, across a minute boundary', perPattern, (card, i) => {
    const n = 5 + (i % 4);
    let t = 0;
    const offsets = Array.from({ length: n }, (_, k) => (t += k === 0 ? 0 : int(3, 5) * 1000));
    // The minute boundary falls between the middle two payments: each tumbling minute holds at most 4.
    const boundary = Math.floor(moment() / 60_000) * 60_000;
    const mid = Math.ceil(n / 2);
    const start = boundary - Math.round((offsets[mid - 1]! + offsets[mid]!) / 2);
    around(card, start, offsets.map((o) => at(card, start + o, normalAmount(card))));
  });
  plant('velocity near miss (redelivery)', '4 payments within 40 s, the first delivered twice: 4 payments, not 5', perPattern, (card) => {
    const start = moment();
    let t = start;
    const burst = Array.from({ length: 4 }, (_, k) => at(card, (t += k === 0 ? 0 : int(8, 12) * 1000), normalAmount(card)));
    // The first one is delivered again just after the second: counting deliveries, the fourth payment makes 5.
    burst[0]!.redeliverAfterMs = burst[1]!.event_time - burst[0]!.event_time + 1_000;
    around(card, start, burst);
  });
  plant('velocity near miss (slow)', '5 payments, but spread over 65–75 s', perPattern, (card) => {
    const start = moment();
    const span = int(65, 75) * 1000;
    around(card, start, [0, 0.3, 0.55, 0.8, 1].map((f) => at(card, start + Math.round(f * span), normalAmount(card))));
  });

  // card testing: tiny payments, then a big one within 10 minutes of them.
  const tinySeries = (card: Card, start: number, amounts: number[]) => {
    let t = start;
    return amounts.map((a, k) => at(card, (t += k === 0 ? 0 : int(25, 80) * 1000), a));
  };
  const tiny = () => int(50, 199);
  plant('card testing', '3–5 payments under 2.00, then one of 200.00 or more', perPattern, (card, i) => {
    const start = moment();
    const series = tinySeries(card, start, Array.from({ length: 3 + (i % 3) }, tiny));
    const big = at(card, series[series.length - 1]!.event_time + int(30, 90) * 1000, i % 4 === 0 ? 20_000 : int(20_001, 90_000));
    around(card, start, [...series, big]);
  });
  const testingTraps: Array<[string, (card: Card, start: number) => Draft[]]> = [
    ['card testing near miss (two tiny)', (card, start) => tinySeries(card, start, [tiny(), tiny()])],
    ['card testing near miss (2.00 is not tiny)', (card, start) => tinySeries(card, start, [tiny(), 200, tiny()])],
    ['card testing near miss (too long ago)', (card, start) => tinySeries(card, start - 12 * 60_000, [tiny(), tiny(), tiny()])],
    ['card testing near miss (redelivery)', (card, start) => {
      const s = tinySeries(card, start, [tiny(), tiny()]);
      s[0]!.redeliverAfterMs = 5_000;
      return s;
    }],
  ];
  for (const [pattern, build] of testingTraps) {
    plant(pattern, 'fewer than 3 distinct payments under 2.00 in the 10 minutes before a big one', Math.ceil(perPattern / 2), (card) => {
      const start = moment();
      const series = build(card, start);
      const last = Math.max(start, ...series.map((d) => d.event_time));
      around(card, start, [...series, at(card, last + int(30, 90) * 1000, int(20_000, 90_000))]);
    });
  }
  plant('card testing without a big payment', '4 payments under 2.00 and nothing big after them', Math.ceil(perPattern / 2), (card) => {
    const start = moment();
    around(card, start, tinySeries(card, start, [tiny(), tiny(), tiny(), tiny()]));
  });

  // impossible travel: home, then 5–40 minutes later in a country thousands of km away; the card is then blocked.
  plant('impossible travel', 'a payment at home, then one 5–40 minutes later thousands of km away', perPattern, (card) => {
    const t = moment();
    const before = t - int(5, 40) * 60_000;
    drafts.push(...everyday(card, 0, before - 20 * 60_000), at(card, before, normalAmount(card)), at(card, t, normalAmount(card), FAR[card.home]));
  });
  plant('travel (possible)', 'a new country, but later than a plane could get there', perPattern, (card, i) => {
    const t = moment();
    const to = i % 2 ? NEIGHBOURS[card.home]! : FAR[card.home]!;
    const hours = distanceKm(card.home, to) / 600 + 1; // at 600 km/h, plus an hour
    const leave = t - Math.round(hours * 3_600_000);
    drafts.push(...everyday(card, 0, leave - 20 * 60_000), at(card, leave, normalAmount(card)), at(card, t, normalAmount(card), to), ...everyday(card, t + 20 * 60_000, spanMs, to));
  });

  // amount spikes, judged against the card's own history: count, mean and deviation of its earlier payments.
  const spikeCard = (card: Card, earlier: number, spikeAt: (mean: number, sd: number) => number, baseline?: number) => {
    if (baseline) card.baselineCents = baseline;
    const t = moment();
    const gap = Math.max(25_000, Math.floor((t - 60_000) / (earlier + 1)));
    const history = Array.from({ length: earlier }, (_, k) => at(card, t - (earlier - k) * gap, normalAmount(card)));
    const amounts = history.map((d) => d.amount_cents);
    const mean = amounts.reduce((a, b) => a + b, 0) / amounts.length;
    const sd = Math.sqrt(amounts.reduce((a, b) => a + (b - mean) ** 2, 0) / amounts.length);
    drafts.push(...history, at(card, t, Math.round(spikeAt(mean, sd))), ...everyday(card, t + 15 * 60_000, spanMs));
  };
  plant('amount spike', 'far above the card\'s own history (mean + 15–40 deviations)', perPattern, (card, i) =>
    spikeCard(card, int(25, 40), (m, s) => m + uniform(15, 40) * s, i % 3 === 0 ? int(1_000, 1_500) : undefined),
  );
  plant('amount spike (modest)', 'mean + 5–7 deviations: caught only when the spike is not yet in the statistics', perPattern, (card) =>
    spikeCard(card, int(20, 24), (m, s) => m + uniform(5, 7) * s),
  );
  plant('amount spike after exactly 20 payments', '20 earlier payments are enough history', Math.ceil(perPattern / 2), (card) =>
    spikeCard(card, 20, (m, s) => m + uniform(15, 30) * s),
  );
  plant('amount spike on a young card', 'only 19 or fewer earlier payments: not enough history', perPattern, (card, i) =>
    spikeCard(card, i % 2 ? 19 : int(5, 15), (m, s) => m + uniform(15, 30) * s),
  );
  plant('big spender', 'a high baseline (400–600): big amounts are normal for this card', perPattern, (card) => {
    card.baselineCents = int(40_000, 60_000);
    drafts.push(...everyday(card, 0, spanMs));
  });

  // Everyone else: everyday payments, with the stream's mess on them.
  // The first card is a hot key: a fleet card paying every 20–30 s, all stream long, so one partition carries more.
  drafts.push(...everyday(cards[0]!, 0, spanMs, cards[0]!.home, 25_000));
  planted.push({ card_id: cards[0]!.id, pattern: 'hot key', note: 'a fleet card paying every 20–30 s (never 5 in a minute)' });
  for (const card of cards.slice(1, nextPlanted + 1)) drafts.push(...everyday(card, 0, spanMs));
  for (const d of drafts) {
    if (!d.card.plain) continue;
    const r = rnd();
    // Too late: behind the watermark by more than the allowed lateness (not near the end, where no later payment raises the watermark).
    if (r < 0.005 && d.event_time < spanMs - 700_000) d.delayMs = int(120_000, 600_000);
    else if (r < 0.025) d.delayMs = int(10_000, 45_000); // late, within the allowed lateness
    // Redelivered (a producer's retry): only on time, and soon, so a redelivery is never itself too late.
    else if (rnd() < 0.01) d.redeliverAfterMs = int(1_000, 40_000);
  }

  // Payments as they arrive: by arrival time, redeliveries included.
  drafts.sort((a, b) => a.event_time - b.event_time || a.card.id.localeCompare(b.card.id));
  const merchants = Math.max(50, Math.round(nCards / 5));
  const deliveries: Array<Omit<Payment, 'seq'>> = [];
  drafts.forEach((d, i) => {
    const payment = {
      event_id: `p-${pad(i + 1, 8)}`,
      card_id: d.card.id,
      account_id: d.card.account,
      merchant_id: `m-${pad(int(1, merchants), 5)}`,
      merchant_category: pick(CATEGORIES),
      amount_cents: d.amount_cents,
      currency: 'EUR',
      country: d.country,
      device_id: d.card.device,
      event_time: d.event_time,
      arrived_at: d.event_time + d.delayMs,
    };
    deliveries.push(payment);
    if (d.redeliverAfterMs !== undefined) deliveries.push({ ...payment, arrived_at: payment.arrived_at + d.redeliverAfterMs });
  });
  deliveries.sort((a, b) => a.arrived_at - b.arrived_at || a.event_id.localeCompare(b.event_id));
  const payments = deliveries.map((p, seq) => ({ seq, ...p }));
  return { payments, labels: labelStream(payments), planted };
}

/** The ground truth: each rule's definition applied to each card's distinct payments in event-time order. */
export function labelStream(payments: Payment[]): Label[] {
  const labels: Label[] = [];
  const byCard = new Map<string, Payment[]>();
  const seen = new Set<string>();
  for (const p of payments) {
    if (p.arrived_at - p.event_time > RULES.allowedLatenessMs + 30_000) labels.push({ rule: 'too_late', card_id: p.card_id, event_id: p.event_id });
    if (seen.has(p.event_id)) continue;
    seen.add(p.event_id);
    byCard.set(p.card_id, [...(byCard.get(p.card_id) ?? []), p]);
  }
  for (const [card_id, list] of byCard) {
    const events = [...list].sort((a, b) => a.event_time - b.event_time || a.event_id.localeCompare(b.event_id));
    let sum = 0;
    let sumSq = 0;
    events.forEach((e, i) => {
      const flag = (rule: RuleName) => labels.push({ rule, card_id, event_id: e.event_id });
      const recent = events.slice(0, i + 1).filter((x) => x.event_time > e.event_time - RULES.velocity.withinMs);
      if (recent.length >= RULES.velocity.payments) flag('velocity');
      if (e.amount_cents >= RULES.cardTesting.bigFromCents) {
        const tinyBefore = events.slice(0, i).filter((x) => x.amount_cents < RULES.cardTesting.tinyBelowCents && x.event_time >= e.event_time - RULES.cardTesting.withinMs);
        if (tinyBefore.length >= RULES.cardTesting.tinyCount) flag('card_testing');
      }
      const prev = events[i - 1];
      if (prev && prev.country !== e.country) {
        const hours = (e.event_time - prev.event_time) / 3_600_000;
        if (distanceKm(prev.country, e.country) / hours > RULES.impossibleTravel.kmPerHour) flag('impossible_travel');
      }
      if (i >= RULES.amountSpike.minHistory) {
        const mean = sum / i;
        const sd = Math.sqrt(Math.max(0, sumSq / i - mean * mean));
        if (e.amount_cents > mean + RULES.amountSpike.deviations * sd) flag('amount_spike');
      }
      sum += e.amount_cents;
      sumSq += e.amount_cents * e.amount_cents;
    });
  }
  return labels;
}
