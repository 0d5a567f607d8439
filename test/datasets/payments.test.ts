import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatePayments, RULES } from '../../datasets/payments/generate.js';

const digest = (seed: number) => crypto.createHash('sha256').update(JSON.stringify(generatePayments(seed, 'small'))).digest('hex');

describe('the payment stream', () => {
  it('is the same for the same seed, and another for another seed', () => {
    expect(digest(42)).toBe(digest(42));
    expect(digest(42)).not.toBe(digest(7));
  });

  it('labels cases of every rule, and sends payments in arrival order with the mess the lab teaches', () => {
    const { payments, labels, planted } = generatePayments(42, 'small');
    for (const rule of ['velocity', 'card_testing', 'impossible_travel', 'amount_spike', 'too_late']) {
      expect(new Set(labels.filter((l) => l.rule === rule).map((l) => l.card_id)).size, rule).toBeGreaterThanOrEqual(20);
    }
    expect(payments.every((p, i) => i === 0 || payments[i - 1]!.arrived_at <= p.arrived_at)).toBe(true);
    expect(payments.length - new Set(payments.map((p) => p.event_id)).size).toBeGreaterThan(50);
    // A redelivery is never itself too late: the dead-letter set is a set of payments.
    const delays = new Map<string, number[]>();
    for (const p of payments) delays.set(p.event_id, [...(delays.get(p.event_id) ?? []), p.arrived_at - p.event_time]);
    for (const l of labels.filter((x) => x.rule === 'too_late')) expect(delays.get(l.event_id)!.length).toBe(1);
    // Between on time and too late there is a margin the watermark cannot blur.
    const lateness = payments.map((p) => p.arrived_at - p.event_time);
    expect(lateness.filter((d) => d > 50_000 && d < 120_000)).toEqual([]);
    expect(RULES.allowedLatenessMs).toBe(60_000);
    // Near misses are planted beside every rule, and never labelled.
    const nearMiss = new Set(planted.filter((p) => p.pattern.includes('near miss')).map((p) => p.card_id));
    expect(nearMiss.size).toBeGreaterThan(40);
    expect(labels.filter((l) => nearMiss.has(l.card_id) && (l.rule === 'velocity' || l.rule === 'card_testing'))).toEqual([]);
  });
});
