import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bronzeViews, incomingDay, SCHEMA_CHANGE_DAY, writeBronze } from '../../datasets/lakehouse/bronze.js';
import { SqlSession } from '../../src/services/duckdb.js';
import { scratchDir } from '../helpers.js';

/** Every file of a lake, with the sha256 of its bytes. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const full = path.join(dir, f);
    if (fs.statSync(full).isFile()) out[f] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex').slice(0, 16);
  }
  return out;
}

async function bronze(seed: number) {
  const lake = path.join(scratchDir(`bronze-${seed}`), 'lake');
  const session = await SqlSession.inMemory();
  const summary = await writeBronze(session, lake, { seed, scale: 'small' });
  for (const sql of bronzeViews(lake)) await session.run(sql);
  return { lake, session, summary };
}

describe('lakehouse bronze drops', () => {
  it('are the same bytes for the same seed, and differ for another seed', async () => {
    const a = await bronze(42);
    const b = await bronze(42);
    const c = await bronze(7);
    expect(fingerprint(a.lake)).toEqual(fingerprint(b.lake));
    expect(fingerprint(a.lake)).not.toEqual(fingerprint(c.lake));
    expect(Object.keys(fingerprint(a.lake)).some((f) => /^bronze\/orders\/dt=2024-03-01\/orders\d*\.jsonl$/.test(f))).toBe(true);
    for (const s of [a, b, c]) s.session.close();
  });

  it('carry the mess the lab teaches: bad lines, duplicates, late updates, a schema change, mixed offsets', async () => {
    const { session, summary } = await bronze(42);
    const one = async (sql: string) => Number(await session.scalar(sql));
    expect(summary.rows.order_lines).toBeGreaterThan(9_000);
    // Lines that do not parse, or carry the wrong type.
    expect(await one('SELECT count(*) FROM bronze.orders WHERE NOT json_valid(line)')).toBeGreaterThan(0);
    expect(await one(`SELECT count(*) FROM bronze.orders WHERE json_valid(line) AND try_cast((line->>'order_id') AS BIGINT) IS NULL`)).toBeGreaterThan(0);
    expect(await one(`SELECT count(*) FROM bronze.order_lines WHERE json_valid(line) AND try_cast((line->>'quantity') AS INTEGER) IS NULL`)).toBeGreaterThan(0);
    // Exact duplicates.
    expect(await one('SELECT count(*) - count(DISTINCT line) FROM bronze.orders')).toBeGreaterThan(0);
    // An order's updates land in later drops than its placement.
    expect(await one(`SELECT count(*) FROM (SELECT (line->>'order_id') AS id FROM bronze.orders WHERE json_valid(line) GROUP BY id HAVING count(DISTINCT dt) > 1)`)).toBeGreaterThan(100);
    // The schema change: customer_id renamed customer, a new channel field, from one day on.
    expect(await one(`SELECT count(*) FROM bronze.orders WHERE dt < '${SCHEMA_CHANGE_DAY}' AND json_valid(line) AND (line->>'customer') IS NOT NULL`)).toBe(0);
    expect(await one(`SELECT count(*) FROM bronze.orders WHERE dt >= '${SCHEMA_CHANGE_DAY}' AND json_valid(line) AND ((line->>'customer_id') IS NOT NULL OR (line->>'channel') IS NULL)`)).toBe(0);
    // Mixed UTC offsets in the text timestamps.
    expect(await one(`SELECT count(DISTINCT regexp_extract((line->>'ordered_at'), '(Z|[+-]\\d\\d:\\d\\d)$')) FROM bronze.orders WHERE json_valid(line)`)).toBeGreaterThan(3);
    // CSV drops: text columns with the drop day and the file they came from.
    expect(await session.queryObjects('SELECT * FROM bronze.customers LIMIT 1')).toEqual([expect.objectContaining({ customer_id: expect.any(String), dt: expect.anything(), file: expect.stringMatching(/customers\/dt=/) })]);
    session.close();
  });

  it('keep the next day\'s drop waiting in incoming/, for incremental runs', async () => {
    const { lake, session } = await bronze(42);
    const day = incomingDay(lake)!;
    expect(day).toMatch(/^\d{4}-\d\d-\d\d$/);
    const last = String(await session.scalar('SELECT max(dt)::VARCHAR FROM bronze.orders'));
    expect(new Date(day).getTime() - new Date(last).getTime()).toBe(86_400_000);
    for (const sql of bronzeViews(lake, { withIncoming: true })) await session.run(sql);
    const one = async (sql: string) => Number(await session.scalar(sql));
    expect(await one(`SELECT count(*) FROM bronze.orders WHERE dt = DATE '${day}'`)).toBeGreaterThan(5);
    expect(await one(`SELECT count(*) FROM bronze.order_lines WHERE dt = DATE '${day}'`)).toBeGreaterThan(5);
    expect(await one(`SELECT count(*) FROM bronze.order_lines WHERE dt = DATE '${day}' AND NOT json_valid(line)`)).toBe(0);
    // New orders, numbered after every order so far.
    expect(await one(`SELECT min((line->>'order_id')::BIGINT) FROM bronze.orders WHERE dt = DATE '${day}'`)).toBeGreaterThan(await one(`SELECT max(CASE WHEN json_valid(line) THEN try_cast((line->>'order_id') AS BIGINT) END) FROM bronze.orders WHERE dt < DATE '${day}'`));
    session.close();
  });
});
