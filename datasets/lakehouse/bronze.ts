/**
 * Bronze drops for the lakehouse lab (month4): raw exports of the shop's operational system,
 * landing in an object store as they would from a nightly job — one folder per day.
 *
 *   bronze/orders/dt=YYYY-MM-DD/orders.jsonl            every status change of an order (CDC), JSON lines
 *   bronze/order_lines/dt=YYYY-MM-DD/order_lines.jsonl  the lines of the orders placed that day, JSON lines
 *   bronze/customers/dt=YYYY-MM-DD/customers.csv        customer records changed that day (SCD source), CSV
 *   bronze/products/dt=2024-01-01/products.csv          the product catalogue, CSV
 *   bronze/categories/dt=2024-01-01/categories.csv      the category tree, CSV
 *
 * The mess is the lesson: rows exported twice; status updates arriving in a later day's drop;
 * a schema change on 2024-07-01 (orders' `customer_id` renamed `customer`, a new `channel`
 * field); ~0.3% of JSON lines that do not parse or carry a value of the wrong type; prices as
 * text; timestamps with the customer's own UTC offset. Same seed and scale: same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { datasetSize, ecommerceStatements, PLANTED, SCALES, type DatasetSize } from '../ecommerce/generate.js';
import type { Scale } from '../../src/lab/scale.js';
import type { SqlSession } from '../../src/services/duckdb.js';

/** The day the orders export changed shape. */
export const SCHEMA_CHANGE_DAY = '2024-07-01';

/** The bronze-only traps, planted by rule (on every seed and scale) on top of the shop's own (PLANTED in the generator). */
export const PLANTED_BRONZE = {
  /** Orders whose newest version's line carries a broken timestamp (when they have an older version). */
  newestLineBrokenEvery: 211,
  /** Orders every line of which is cut off in transit, the newest exported twice. */
  everyLineBrokenEvery: 331,
  upperCaseEmailEvery: 13,
  paddedEmailEvery: 17,
  /** Products whose category_id is empty in the catalogue's CSV. */
  uncategorizedProductEvery: 101,
} as const;

export const BRONZE_SOURCES = ['orders', 'order_lines', 'customers', 'products', 'categories'] as const;
export type BronzeSource = (typeof BRONZE_SOURCES)[number];

/** month4 counts order lines: small 10^4, medium 10^6, large 10^7 (≈ 2.5 lines per order). */
export function lakehouseSize(scale: Scale): DatasetSize {
  const orders = Math.round(SCALES[scale] / 2.5);
  return { ...datasetSize(scale), orders, customers: Math.max(1_000, Math.round(orders / 10)), sessions: 0 };
}

export interface BronzeSummary {
  /** Lines (JSON) or data rows (CSV) per source. */
  rows: Record<BronzeSource, number>;
  /** Lines a parser must reject, per source. */
  badLines: Partial<Record<BronzeSource, number>>;
  days: number;
}

export function bronzeDir(lakeDir: string, source: BronzeSource, layer: 'bronze' | 'incoming' = 'bronze'): string {
  return path.join(lakeDir, layer, source);
}

/** The next day's drop waits in `incoming/` until it lands (`lab drop`), for incremental runs. */
export function incomingDay(lakeDir: string): string | undefined {
  const dir = bronzeDir(lakeDir, 'orders', 'incoming');
  if (!fs.existsSync(dir)) return undefined;
  return fs.readdirSync(dir).map((d) => /^dt=(\d{4}-\d\d-\d\d)$/.exec(d)?.[1]).find(Boolean);
}

/** The days whose orders drop has landed in bronze, in order. */
export function landedDays(lakeDir: string): string[] {
  const dir = bronzeDir(lakeDir, 'orders');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).map((d) => /^dt=(\d{4}-\d\d-\d\d)$/.exec(d)?.[1]).filter((d): d is string => Boolean(d)).sort();
}

/** Moves the waiting drop from incoming/ into bronze, as the nightly export lands it; says how many lines of what landed. */
export function landIncoming(lakeDir: string): string[] {
  const day = incomingDay(lakeDir);
  if (!day) return [];
  const landed: string[] = [];
  for (const source of BRONZE_SOURCES) {
    const from = path.join(bronzeDir(lakeDir, source, 'incoming'), `dt=${day}`);
    if (!fs.existsSync(from)) continue;
    const to = path.join(bronzeDir(lakeDir, source), `dt=${day}`);
    fs.renameSync(from, to);
    const lines = fs.readdirSync(to).reduce((n, f) => n + fs.readFileSync(path.join(to, f), 'utf8').split('\n').filter(Boolean).length, 0);
    landed.push(`${lines.toLocaleString('en-US')} ${source.replace('_', ' ')}`);
  }
  fs.rmSync(path.join(lakeDir, 'incoming'), { recursive: true, force: true });
  return landed;
}

/** Writes the partitioned drops with DuckDB: one COPY per source, partitioned by day. */
export async function writeBronze(session: SqlSession, lakeDir: string, opts: { seed: number; scale: Scale; onSource?: (source: BronzeSource, rows: number) => void }): Promise<BronzeSummary> {
  const S = `${opts.seed}::BIGINT`;
  const rnd = (k: number, i: string) => `((hash((${S}::HUGEINT << 64) + (${i})::HUGEINT * 256 + ${k}) >> 11)::DOUBLE / 9007199254740992.0)`;
  for (const step of ecommerceStatements(opts.seed, opts.scale, lakehouseSize(opts.scale))) {
    if (step.name === 'events') continue;
    await session.run(step.sql);
  }
  fs.rmSync(path.join(lakeDir, 'bronze'), { recursive: true, force: true });
  fs.rmSync(path.join(lakeDir, 'incoming'), { recursive: true, force: true });
  for (const source of BRONZE_SOURCES) fs.mkdirSync(bronzeDir(lakeDir, source), { recursive: true });
  const jsonLines = (source: BronzeSource, query: string, layer: 'bronze' | 'incoming' = 'bronze') => {
    fs.mkdirSync(bronzeDir(lakeDir, source, layer), { recursive: true });
    return session.run(`COPY (SELECT dt, line FROM (${query}) ORDER BY dt, sort_key) TO '${bronzeDir(lakeDir, source, layer)}' (FORMAT csv, PARTITION_BY (dt), HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x1f', FILE_EXTENSION 'jsonl', FILENAME_PATTERN '${source}', OVERWRITE_OR_IGNORE)`);
  };

  // Orders: one line per CDC row, in the drop of the day it changed; the shape changes mid-year.
  // Planted, on every seed and scale: an order whose newest line is broken (its previous version
  // is the one silver keeps), an order whose every line is broken (it is not in silver at all, and
  // its lines have no order), and a broken line exported twice (quarantined twice).
  await session.run(`CREATE OR REPLACE TEMP TABLE _bronze_orders AS
    WITH versions AS (
      SELECT o.*, count(DISTINCT o.updated_at) OVER (PARTITION BY o.order_id) AS n_versions,
        o.updated_at = max(o.updated_at) OVER (PARTITION BY o.order_id) AS is_latest
      FROM orders o
    ), planted AS (
      -- the day whose orders were all cancelled stays so in silver: no newest line of it is broken
      SELECT *, CASE WHEN is_latest AND ordered_at::DATE = DATE '${PLANTED.cancelledDay}' THEN 1.0
                     WHEN order_id % ${PLANTED_BRONZE.everyLineBrokenEvery} = 0 THEN 0.0
                     WHEN order_id % ${PLANTED_BRONZE.newestLineBrokenEvery} = 0 AND n_versions > 1 AND is_latest THEN 0.0025
                     ELSE ${rnd(71, 'order_id * 8 + length(status)')} END AS r_bad
      FROM versions
      UNION ALL
      SELECT *, 0.0 FROM versions WHERE order_id % ${PLANTED_BRONZE.everyLineBrokenEvery} = 0 AND is_latest
    )
    SELECT * EXCLUDE (n_versions, is_latest), (updated_at::DATE) AS dt,
      ${rnd(72, 'order_id')} AS r_channel,
      row_number() OVER (ORDER BY order_id, updated_at, status, r_bad) AS sort_key
    FROM planted`);
  await jsonLines('orders', `SELECT dt, sort_key,
      CASE WHEN r_bad < 0.001 THEN left(line, length(line) // 2)                      -- truncated in transit
           WHEN r_bad < 0.002 THEN replace(line, '"order_id":' || order_id, '"order_id":"N/A"')
           WHEN r_bad < 0.003 THEN replace(line, ordered_at_local, 'yesterday')        -- not a timestamp
           ELSE line END AS line
    FROM (SELECT *, CASE WHEN dt < DATE '${SCHEMA_CHANGE_DAY}'
        THEN to_json({'order_id': order_id, 'customer_id': customer_id, 'status': status, 'ordered_at': ordered_at_local, 'updated_at': strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ')})
        ELSE to_json({'order_id': order_id, 'customer': customer_id, 'status': status, 'ordered_at': ordered_at_local, 'updated_at': strftime(updated_at, '%Y-%m-%dT%H:%M:%SZ'),
                      'channel': CASE WHEN r_channel < 0.6 THEN 'web' WHEN r_channel < 0.9 THEN 'app' ELSE 'store' END})
      END::VARCHAR AS line FROM _bronze_orders)`);

  // Order lines: in the drop of the day the order was placed; prices as text, a few bad quantities.
  await session.run(`CREATE OR REPLACE TEMP TABLE _bronze_lines AS
    SELECT i.*, first.ordered_at::DATE AS dt, ${rnd(73, 'i.order_id * 4 + i.line_no')} AS r_bad,
      row_number() OVER (ORDER BY i.order_id, i.line_no) AS sort_key
    FROM order_items i JOIN (SELECT order_id, min(ordered_at) AS ordered_at FROM orders GROUP BY order_id) first USING (order_id)`);
  await jsonLines('order_lines', `SELECT dt, sort_key,
      CASE WHEN r_bad < 0.001 THEN replace(line, '"quantity":' || quantity, '"quantity":"' || ['one', 'two', 'three', 'four'][quantity] || '"')
           WHEN r_bad < 0.002 THEN left(line, length(line) - 7)
           ELSE line END AS line
    FROM (SELECT *, to_json({'order_id': order_id, 'line_no': line_no, 'product_id': product_id, 'quantity': quantity,
                             'unit_price': unit_price::VARCHAR, 'discount': discount::DOUBLE})::VARCHAR AS line FROM _bronze_lines)`);

  // Customers, products, categories: CSV drops with a header.
  const csv = (source: BronzeSource, query: string) =>
    session.run(`COPY (${query}) TO '${bronzeDir(lakeDir, source)}' (FORMAT csv, PARTITION_BY (dt), HEADER true, FILE_EXTENSION 'csv', FILENAME_PATTERN '${source}', OVERWRITE_OR_IGNORE)`);
  // Emails as people type them (some in capitals, some padded), and a product not yet filed on a shelf.
  await csv('customers', `SELECT customer_id,
      CASE WHEN customer_id % ${PLANTED_BRONZE.upperCaseEmailEvery} = 0 THEN upper(email) WHEN customer_id % ${PLANTED_BRONZE.paddedEmailEvery} = 0 THEN '  ' || email || ' ' ELSE email END AS email,
      full_name, country, city, signup_date, segment, strftime(updated_at, '%Y-%m-%d %H:%M:%S') AS updated_at, updated_at::DATE AS dt
    FROM customers ORDER BY dt, customer_id, updated_at, email`);
  await csv('products', `SELECT product_id, sku, name, CASE WHEN product_id % ${PLANTED_BRONZE.uncategorizedProductEvery} = 0 THEN NULL ELSE category_id END AS category_id, unit_price, DATE '2024-01-01' AS dt FROM products ORDER BY product_id`);
  await csv('categories', `SELECT category_id, parent_id, name, DATE '2024-01-01' AS dt FROM categories ORDER BY category_id`);

  // The next day's drop: that day's new orders (in the new shape) and their lines, waiting in incoming/.
  await session.run(`CREATE OR REPLACE TEMP TABLE _next_orders AS
    WITH next_day AS (SELECT max(dt) + 1 AS d, round(count(DISTINCT order_id) / count(DISTINCT dt))::BIGINT AS n, max(order_id) AS last_id FROM _bronze_orders)
    SELECT last_id + i + 1 AS order_id, d AS dt, i AS sort_key,
      1 + floor(${rnd(81, 'i')} * (SELECT count(DISTINCT customer_id) FROM customers))::BIGINT AS customer_id,
      strftime(d::TIMESTAMP + to_seconds(floor(${rnd(82, 'i')} * 86400)::BIGINT), '%Y-%m-%dT%H:%M:%SZ') AS placed_at
    FROM next_day, range(n) t(i)`);
  await jsonLines('orders', `SELECT dt, sort_key, to_json({'order_id': order_id, 'customer': customer_id, 'status': 'placed', 'ordered_at': placed_at, 'updated_at': placed_at, 'channel': 'web'})::VARCHAR AS line FROM _next_orders`, 'incoming');
  await jsonLines('order_lines', `SELECT o.dt, o.sort_key * 4 + l.n AS sort_key,
      to_json({'order_id': o.order_id, 'line_no': l.n + 1, 'product_id': p.product_id, 'quantity': 1 + floor(${rnd(85, 'o.order_id * 4 + l.n')} * 4)::INTEGER,
               'unit_price': p.unit_price::VARCHAR, 'discount': CASE WHEN ${rnd(86, 'o.order_id * 4 + l.n')} < 0.7 THEN NULL ELSE 0.1 END})::VARCHAR AS line
    FROM _next_orders o, range(3) l(n), products p
    WHERE l.n < 1 + floor(${rnd(83, 'o.order_id')} * 3) AND p.product_id = 1 + floor(${rnd(84, 'o.order_id * 4 + l.n')} * (SELECT count(*) FROM products))::BIGINT`, 'incoming');
  await session.run('DROP TABLE IF EXISTS _next_orders');

  const count = async (sql: string) => Number(await session.scalar(sql));
  const rows = {
    orders: await count('SELECT count(*) FROM _bronze_orders'),
    order_lines: await count('SELECT count(*) FROM _bronze_lines'),
    customers: await count('SELECT count(*) FROM customers'),
    products: await count('SELECT count(*) FROM products'),
    categories: await count('SELECT count(*) FROM categories'),
  } satisfies Record<BronzeSource, number>;
  for (const source of BRONZE_SOURCES) opts.onSource?.(source, rows[source]);
  const badLines = {
    orders: await count('SELECT count(*) FROM _bronze_orders WHERE r_bad < 0.003'),
    order_lines: await count('SELECT count(*) FROM _bronze_lines WHERE r_bad < 0.002'),
  };
  const days = await count('SELECT count(DISTINCT dt) FROM _bronze_orders');
  // Only the files are the dataset: the generator's clean tables must not be there to query.
  await session.run('DROP TABLE IF EXISTS _bronze_orders; DROP TABLE IF EXISTS _bronze_lines');
  for (const t of ['order_items', 'orders', 'products', 'categories', 'customers']) await session.run(`DROP TABLE IF EXISTS ${t}`);
  return { rows, badLines, days };
}

/** SQL that exposes the drops as the `bronze` schema: raw lines for JSON, text columns for CSV, each with its drop day and file. */
export function bronzeViews(lakeDir: string, opts: { withIncoming?: boolean } = {}): string[] {
  const files = (source: BronzeSource) =>
    opts.withIncoming && fs.existsSync(bronzeDir(lakeDir, source, 'incoming'))
      ? `['${bronzeDir(lakeDir, source)}/*/*.jsonl', '${bronzeDir(lakeDir, source, 'incoming')}/*/*.jsonl']`
      : `'${bronzeDir(lakeDir, source)}/*/*.jsonl'`;
  const raw = (source: BronzeSource) =>
    `CREATE OR REPLACE VIEW bronze.${source} AS SELECT line, dt::DATE AS dt, filename AS file FROM read_csv(${files(source)}, columns = {'line': 'VARCHAR'}, delim = '\x1f', quote = '', escape = '', header = false, hive_partitioning = true, filename = true)`;
  const text = (source: BronzeSource) =>
    `CREATE OR REPLACE VIEW bronze.${source} AS SELECT * EXCLUDE (dt, filename), dt::DATE AS dt, filename AS file FROM read_csv('${bronzeDir(lakeDir, source)}/*/*.csv', all_varchar = true, header = true, hive_partitioning = true, filename = true)`;
  return ['CREATE SCHEMA IF NOT EXISTS bronze', raw('orders'), raw('order_lines'), text('customers'), text('products'), text('categories')];
}
