import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetSize, ECOMMERCE_TABLES, ecommerceStatements } from '../../datasets/ecommerce/generate.js';
import type { Scale } from '../../src/lab/scale.js';
import { SqlSession } from '../../src/services/duckdb.js';

async function generate(seed: number, scale: Scale = 'small'): Promise<SqlSession> {
  const session = await SqlSession.inMemory();
  for (const step of ecommerceStatements(seed, scale)) await session.run(step.sql);
  return session;
}

/** An order-independent fingerprint of every table's content. */
async function fingerprint(session: SqlSession): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of ECOMMERCE_TABLES) {
    out[table] = String(await session.scalar(`SELECT count(*) || ':' || bit_xor(hash(t::VARCHAR)) FROM ${table} t`));
  }
  return out;
}

describe('ecommerce generator', () => {
  let a: SqlSession;
  let b: SqlSession;
  let other: SqlSession;
  beforeAll(async () => {
    [a, b, other] = await Promise.all([generate(42), generate(42), generate(7)]);
  });
  afterAll(() => [a, b, other].forEach((s) => s.close()));

  it('gives the same rows for the same seed and scale', async () => {
    expect(await fingerprint(a)).toEqual(await fingerprint(b));
  });

  it('gives different rows for another seed', async () => {
    const fa = await fingerprint(a);
    const fo = await fingerprint(other);
    for (const table of ['customers', 'orders', 'order_items', 'events']) expect(fo[table]).not.toEqual(fa[table]);
  });

  it('is pinned: seed 42 small gives exactly these tables on every machine', async () => {
    // A change here means every learner's data changed: bump it only on purpose.
    expect(await fingerprint(a)).toMatchSnapshot();
  });

  it('has 10^4 distinct orders at small scale', async () => {
    expect(Number(await a.scalar('SELECT count(DISTINCT order_id) FROM orders'))).toBe(datasetSize('small').orders);
    expect(Number(await a.scalar('SELECT count(DISTINCT customer_id) FROM customers'))).toBe(datasetSize('small').customers);
  });

  it('carries the realistic mess the exercises teach', async () => {
    // CDC history and verbatim duplicates in orders
    expect(Number(await a.scalar('SELECT count(*) - count(DISTINCT order_id) FROM orders'))).toBeGreaterThan(1000);
    expect(Number(await a.scalar('SELECT count(*) FROM (SELECT * FROM orders GROUP BY ALL HAVING count(*) > 1)'))).toBeGreaterThan(10);
    // late updates in customers, and missing countries
    expect(Number(await a.scalar('SELECT count(*) FROM (SELECT customer_id FROM customers GROUP BY 1 HAVING count(DISTINCT email) > 1)'))).toBeGreaterThan(10);
    expect(Number(await a.scalar('SELECT count(*) FROM customers WHERE country IS NULL'))).toBeGreaterThan(5);
    // mixed time zones in the local timestamps
    expect(Number(await a.scalar("SELECT count(DISTINCT regexp_extract(ordered_at_local, '(Z|[+-]\\d\\d:\\d\\d)$')) FROM orders"))).toBeGreaterThanOrEqual(6);
    // late and resent events
    expect(Number(await a.scalar("SELECT count(*) FROM events WHERE received_at - event_ts > INTERVAL 1 HOUR"))).toBeGreaterThan(50);
    expect(Number(await a.scalar('SELECT count(*) - count(DISTINCT event_id) FROM events'))).toBeGreaterThan(10);
    // NULL discounts in order lines
    expect(Number(await a.scalar('SELECT count(*) FROM order_items WHERE discount IS NULL'))).toBeGreaterThan(1000);
  });

  it('keeps local timestamps consistent with the UTC instant', async () => {
    const mismatches = await a.scalar(`SELECT count(*) FROM orders WHERE ordered_at_local::TIMESTAMPTZ <> ordered_at`);
    expect(Number(mismatches)).toBe(0);
  });

  it('rejects a negative seed', () => {
    expect(() => ecommerceStatements(-1, 'small')).toThrow(/seed/);
  });
});
