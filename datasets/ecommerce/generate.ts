/**
 * Deterministic e-commerce generator: customers, categories, products, orders (a CDC-style
 * export with several versions per order), order_items and clickstream events.
 *
 * Every value comes from a counter-based random function, rnd(seed, stream, row), computed
 * inside DuckDB with its built-in integer hash, so the same seed and scale give the same rows
 * on every machine (for the pinned DuckDB version; test/datasets checks a fingerprint) and
 * 10^7 rows are generated in seconds, vectorized, with no row loop in JavaScript.
 */

import type { Scale } from '../../src/lab/scale.js';

/** Orders at each scale. */
export const SCALES: Record<Scale, number> = {
  small: 10_000,
  medium: 1_000_000,
  large: 10_000_000,
};

export interface DatasetSize {
  orders: number;
  customers: number;
  products: number;
  sessions: number;
}

export function datasetSize(scale: Scale): DatasetSize {
  const orders = SCALES[scale];
  return {
    orders,
    customers: Math.max(1_000, Math.round(orders / 10)),
    products: Math.min(5_000, 200 + Math.round(orders / 200)),
    sessions: Math.round(orders / 3),
  };
}

/** Countries with a fixed UTC offset each, so local timestamps carry mixed time zones. */
const COUNTRIES: Array<[string, string, number]> = [
  ['US', 'New York', -300],
  ['US', 'Los Angeles', -480],
  ['DE', 'Berlin', 60],
  ['GB', 'London', 0],
  ['IN', 'Bengaluru', 330],
  ['JP', 'Tokyo', 540],
  ['BR', 'São Paulo', -180],
  ['AU', 'Sydney', 600],
  ['FR', 'Paris', 60],
  ['NG', 'Lagos', 60],
];

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Edsger', 'Frances', 'Guido', 'Anders', 'Yukihiro', 'Sophie', 'Tim', 'Hedy', 'Niklaus', 'Joan', 'Bjarne'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Perlman', 'Dijkstra', 'Allen', 'van Rossum', 'Hejlsberg', 'Matsumoto', 'Wilson', 'Berners-Lee', 'Lamarr', 'Wirth', 'Clarke', 'Stroustrup'];

/** A three-level category tree: root departments, their aisles, and leaf shelves. */
export const CATEGORY_TREE: Array<[number, number | null, string]> = [
  [1, null, 'Electronics'], [2, null, 'Home'], [3, null, 'Sports'], [4, null, 'Books'],
  [10, 1, 'Computers'], [11, 1, 'Audio'], [12, 2, 'Kitchen'], [13, 2, 'Garden'],
  [14, 3, 'Outdoor'], [15, 3, 'Fitness'], [16, 4, 'Fiction'], [17, 4, 'Technical'],
  [100, 10, 'Laptops'], [101, 10, 'Keyboards'], [102, 11, 'Headphones'], [103, 11, 'Speakers'],
  [104, 12, 'Cookware'], [105, 12, 'Coffee'], [106, 13, 'Tools'], [107, 14, 'Camping'],
  [108, 14, 'Cycling'], [109, 15, 'Weights'], [110, 15, 'Yoga'], [111, 16, 'Sci-Fi'],
  [112, 16, 'Crime'], [113, 17, 'Databases'], [114, 17, 'Distributed Systems'],
  [115, 17, 'Compilers'],
];
/** A shelf no product is put on: a category whose revenue is 0, not missing. */
export const EMPTY_SHELF = 115;
const LEAF_CATEGORIES = CATEGORY_TREE.filter(([id]) => id >= 100 && id !== EMPTY_SHELF).map(([id]) => id);

/**
 * Traps the exercises warn about, planted by rule rather than by chance, so they are there on
 * every seed and at every scale: a day nobody ordered, a day whose orders were all cancelled, a
 * month in which no order was returned, a local hour nobody ordered in, two orders of one
 * customer at the same instant, a session gap of exactly 30 minutes, an empty shelf, and a
 * revenue tie at the top of every department.
 */
export const PLANTED = {
  /** Orders of this UTC day are moved to the next one. */
  quietDay: '2024-03-17',
  /** Every order of this UTC day ends cancelled. */
  cancelledDay: '2024-05-05',
  /** No order of this month ends 'returned' (it stays 'delivered'). */
  monthWithoutReturns: 2,
  /** Orders placed in this hour of the customer's wall clock are placed an hour earlier. */
  quietLocalHour: 4,
  /** Every order_id ≡ 1 (mod this) repeats the customer and instant of the order before it. */
  sameInstantEvery: 997,
  /** Every session_key ≡ 1 (mod this) starts exactly 30 minutes after the same user's previous session ended. */
  thirtyMinuteGapEvery: 499,
  /** Customers with customer_id ≡ 0 (mod this) got their first record in the export on this day (after some of their orders). */
  lateFirstVersionEvery: 97,
  lateFirstVersionDay: '2024-06-01',
} as const;

const sqlList = (values: Array<string | number>): string =>
  '[' + values.map((v) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`)).join(', ') + ']';

export interface GeneratedTable {
  name: string;
  sql: string;
}

/**
 * The statements that build the dataset, in dependency order. Each creates one table in the
 * current schema; the `_gen` helpers are dropped at the end.
 */
export function ecommerceStatements(seed: number, scale: Scale, size: DatasetSize = datasetSize(scale)): GeneratedTable[] {
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`seed must be a non-negative integer, got ${seed}`);
  const n = size;
  const S = `${seed}::BIGINT`;
  // rnd(k, i): uniform in [0, 1) for stream k and row i; rint(k, i, m): integer in [0, m).
  // One key (seed, row, stream) packed into a HUGEINT and hashed once: DuckDB's multi-argument
  // hash(a, b, c) combines its inputs so that streams of the same row come out correlated.
  const rnd = (k: number, i: string) => `((hash((${S}::HUGEINT << 64) + (${i})::HUGEINT * 256 + ${k}) >> 11)::DOUBLE / 9007199254740992.0)`;
  const rint = (k: number, i: string, m: number | string) => `(floor(${rnd(k, i)} * (${m}))::BIGINT)`;
  const pick = (list: string, k: number, i: string, len: number) => `${list}[1 + ${rint(k, i, len)}]`;
  const countries = sqlList(COUNTRIES.map((c) => c[0]));
  const cities = sqlList(COUNTRIES.map((c) => c[1]));
  const offsets = sqlList(COUNTRIES.map((c) => c[2]));
  // ISO 8601 offset suffix per country: 'Z', '+05:30', '-08:00'.
  const suffixes = sqlList(COUNTRIES.map(([, , m]) => (m === 0 ? 'Z' : `${m > 0 ? '+' : '-'}${String(Math.floor(Math.abs(m) / 60)).padStart(2, '0')}:${String(Math.abs(m) % 60).padStart(2, '0')}`)));
  const start = `TIMESTAMP '2024-01-01 00:00:00'`;

  return [
    {
      name: 'categories',
      sql: `CREATE OR REPLACE TABLE categories AS
        SELECT * FROM (VALUES ${CATEGORY_TREE.map(([id, parent, name]) => `(${id}, ${parent ?? 'NULL'}, '${name}')`).join(', ')})
          AS t(category_id, parent_id, name)`,
    },
    {
      name: '_gen_customers',
      sql: `CREATE OR REPLACE TEMP TABLE _gen_customers AS
        SELECT i + 1 AS customer_id,
          ${rint(1, 'i', COUNTRIES.length)} + 1 AS country_idx,
          ${pick(sqlList(FIRST_NAMES), 2, 'i', FIRST_NAMES.length)} AS first_name,
          ${pick(sqlList(LAST_NAMES), 3, 'i', LAST_NAMES.length)} AS last_name,
          DATE '2022-01-01' + ${rint(4, 'i', 730)}::INTEGER AS signup_date,
          ${pick(sqlList(['consumer', 'consumer', 'consumer', 'business', 'vip']), 5, 'i', 5)} AS segment,
          ${rnd(6, 'i')} AS r_versions, ${rnd(7, 'i')} AS r_null, ${rnd(8, 'i')} AS r_dup
        FROM range(${n.customers}) r(i)`,
    },
    {
      name: 'customers',
      // One row per version: ~8% of customers changed email or segment later (late updates),
      // ~1% of current rows are exported twice, ~3% have no country.
      sql: `CREATE OR REPLACE TABLE customers AS
        WITH versions AS (
          SELECT c.*, v.version, CASE WHEN c.r_versions < 0.08 THEN 2 ELSE 1 END AS n_versions
          FROM _gen_customers c, range(2) v(version)
          WHERE v.version < CASE WHEN c.r_versions < 0.08 THEN 2 ELSE 1 END
        ), shaped AS MATERIALIZED (
          SELECT customer_id,
            lower(replace(first_name || '.' || last_name, ' ', '')) || customer_id ||
              CASE WHEN version = 0 AND n_versions = 2 THEN '@oldmail.example' ELSE '@mail.example' END AS email,
            first_name || ' ' || last_name AS full_name,
            CASE WHEN r_null < 0.03 THEN NULL ELSE ${countries}[country_idx] END AS country,
            ${cities}[country_idx] AS city,
            signup_date,
            CASE WHEN version = 0 AND n_versions = 2 THEN 'consumer' ELSE segment END AS segment,
            -- a later version is 1 to 400 days newer: the newest row is always the current one
            CASE WHEN customer_id % ${PLANTED.lateFirstVersionEvery} = 0 THEN TIMESTAMP '${PLANTED.lateFirstVersionDay}' ELSE signup_date::TIMESTAMP END
              + to_seconds(${rint(9, 'customer_id', 86400)}) + to_days((version * (1 + ${rint(10, 'customer_id', 400)}))::INTEGER) AS updated_at,
            version = n_versions - 1 AS is_latest, r_dup
          FROM versions
        )
        SELECT customer_id, email, full_name, country, city, signup_date, segment, updated_at FROM shaped
        UNION ALL
        SELECT customer_id, email, full_name, country, city, signup_date, segment, updated_at FROM shaped
        WHERE is_latest AND r_dup < 0.01`,
    },
    {
      name: 'products',
      sql: `CREATE OR REPLACE TABLE products AS
        SELECT i + 1 AS product_id,
          'SKU-' || lpad(CAST(i + 1 AS VARCHAR), 6, '0') AS sku,
          ${pick(sqlList(['Classic', 'Pro', 'Mini', 'Ultra', 'Eco', 'Smart', 'Travel', 'Studio']), 21, 'i', 8)} || ' ' ||
            ${pick(sqlList(['Widget', 'Kit', 'Set', 'Pack', 'Edition', 'Bundle']), 22, 'i', 6)} || ' ' || (i + 1) AS name,
          ${pick(sqlList(LEAF_CATEGORIES), 23, 'i', LEAF_CATEGORIES.length)} AS category_id,
          round(2 + pow(${rnd(24, 'i')}, 2) * 498, 2)::DECIMAL(10, 2) AS unit_price
        FROM range(${n.products}) r(i)`,
    },
    {
      name: '_gen_orders',
      sql: `CREATE OR REPLACE TEMP TABLE _gen_orders AS
        SELECT order_id, customer_id,
          -- nobody ordered on the quiet day: its orders moved to the next one
          CASE WHEN placed::DATE = DATE '${PLANTED.quietDay}' THEN placed + INTERVAL 1 DAY ELSE placed END AS ordered_at,
          r_status, r_cdc, r_dup, ship_after_s, deliver_after_s
        FROM (
          SELECT i + 1 AS order_id,
            -- squared uniform: a few customers order a lot, most order rarely
            1 + floor(pow(${rnd(31, 'j')}, 2) * ${n.customers})::BIGINT AS customer_id,
            ${start} + to_seconds(${rint(32, 'j', 366 * 86400)}) AS placed,
            ${rnd(33, 'i')} AS r_status, ${rnd(34, 'i')} AS r_cdc, ${rnd(35, 'i')} AS r_dup,
            ${rint(36, 'i', 3 * 86400)} + 3600 AS ship_after_s, ${rint(37, 'i', 6 * 86400)} + 86400 AS deliver_after_s
          -- j: the row whose customer and instant this order takes (the one before it, for a tie)
          FROM (SELECT i, CASE WHEN i % ${PLANTED.sameInstantEvery} = 1 THEN i - 1 ELSE i END AS j FROM range(${n.orders}) r(i))
        )`,
    },
    {
      name: 'orders',
      // A CDC-style export: every status change is a row (~35% of orders show their history),
      // ~1% rows duplicated verbatim, local timestamps in the customer's own UTC offset.
      sql: `CREATE OR REPLACE TABLE orders AS
        WITH final AS (
          SELECT o.* REPLACE (
              -- nobody orders at 4 in the morning of their own clock: those orders came an hour earlier
              CASE WHEN hour(o.ordered_at + to_minutes(${offsets}[c.country_idx])) = ${PLANTED.quietLocalHour} THEN o.ordered_at - INTERVAL 1 HOUR ELSE o.ordered_at END AS ordered_at),
            c.country_idx,
            CASE WHEN o.ordered_at::DATE = DATE '${PLANTED.cancelledDay}' OR r_status < 0.05 THEN 'cancelled' WHEN r_status < 0.10 THEN 'placed'
                 WHEN r_status < 0.25 THEN 'shipped' WHEN r_status < 0.93 OR month(o.ordered_at) = ${PLANTED.monthWithoutReturns} THEN 'delivered' ELSE 'returned' END AS final_status
          FROM _gen_orders o JOIN _gen_customers c USING (customer_id)
        ), history AS (
          SELECT f.*, s.step,
            CASE WHEN final_status = 'cancelled' THEN ['placed', 'cancelled'][s.step + 1]
                 ELSE ['placed', 'shipped', 'delivered', 'returned'][s.step + 1] END AS status,
            CASE final_status WHEN 'placed' THEN 0 WHEN 'cancelled' THEN 1 WHEN 'shipped' THEN 1 WHEN 'delivered' THEN 2 ELSE 3 END AS last_step
          FROM final f, range(4) s(step)
        ), exported AS (
          SELECT order_id, customer_id, status, ordered_at,
            ordered_at + to_seconds(CASE step WHEN 0 THEN 0 WHEN 1 THEN ship_after_s WHEN 2 THEN ship_after_s + deliver_after_s
                                                ELSE ship_after_s + deliver_after_s + 5 * 86400 END) AS updated_at,
            country_idx, step = last_step AS is_latest, r_dup
          FROM history
          WHERE step <= last_step AND (step = last_step OR r_cdc < 0.35)
        ), shaped AS MATERIALIZED (
          SELECT order_id, customer_id, status,
            ordered_at::TIMESTAMPTZ AS ordered_at,
            replace(CAST(ordered_at + to_minutes(${offsets}[country_idx]) AS VARCHAR), ' ', 'T') || ${suffixes}[country_idx] AS ordered_at_local,
            updated_at, is_latest, r_dup
          FROM exported
        )
        SELECT order_id, customer_id, status, ordered_at, ordered_at_local, updated_at FROM shaped
        UNION ALL
        SELECT order_id, customer_id, status, ordered_at, ordered_at_local, updated_at FROM shaped WHERE is_latest AND r_dup < 0.01`,
    },
    {
      name: 'order_items',
      sql: `CREATE OR REPLACE TABLE order_items AS
        SELECT o.order_id, l.line_no + 1 AS line_no, p.product_id,
          1 + ${rint(42, 'o.order_id * 4 + l.line_no', 4)} AS quantity,
          p.unit_price,
          CASE WHEN ${rnd(43, 'o.order_id * 4 + l.line_no')} < 0.7 THEN NULL
               ELSE round(0.05 * (1 + ${rint(44, 'o.order_id * 4 + l.line_no', 5)}), 2)::DECIMAL(4, 2) END AS discount
        FROM _gen_orders o, range(4) l(line_no), products p
        WHERE l.line_no < 1 + ${rint(41, 'o.order_id', 4)}
          AND p.product_id = 1 + ${rint(45, 'o.order_id * 4 + l.line_no', n.products)}`,
    },
    {
      name: '_gen_ties',
      // Every department's best seller gets a twin: a product on the same shelf at the same price,
      // bought on the very same order lines, so two products tie for rank 1 (DENSE_RANK keeps both
      // and the next one; RANK skips a rank; ROW_NUMBER drops one of them).
      sql: `CREATE OR REPLACE TEMP TABLE _gen_twins AS
        WITH current_orders AS (SELECT order_id, arg_max(status, updated_at) AS status FROM orders GROUP BY order_id),
        revenue AS (
          SELECT i.product_id, sum(i.quantity * i.unit_price * (1 - coalesce(i.discount, 0))) AS revenue
          FROM order_items i JOIN current_orders o USING (order_id) WHERE o.status <> 'cancelled' GROUP BY i.product_id
        ), departments AS (
          SELECT p.product_id, aisle.parent_id AS department
          FROM products p JOIN categories shelf ON shelf.category_id = p.category_id JOIN categories aisle ON aisle.category_id = shelf.parent_id
        ), best AS (
          SELECT product_id, department FROM revenue JOIN departments USING (product_id)
          QUALIFY row_number() OVER (PARTITION BY department ORDER BY revenue DESC, product_id) = 1
        )
        SELECT product_id, (SELECT max(product_id) FROM products) + row_number() OVER (ORDER BY department) AS twin_id FROM best;
        INSERT INTO products
          SELECT t.twin_id, 'SKU-' || lpad(CAST(t.twin_id AS VARCHAR), 6, '0'), regexp_replace(p.name, '[0-9]+$', CAST(t.twin_id AS VARCHAR)), p.category_id, p.unit_price
          FROM _gen_twins t JOIN products p USING (product_id);
        INSERT INTO order_items
          SELECT i.order_id, i.line_no + 4, t.twin_id, i.quantity, i.unit_price, i.discount
          FROM order_items i JOIN _gen_twins t USING (product_id);
        DROP TABLE _gen_twins`,
    },
    {
      name: 'events',
      // Sessions of 1-8 events two minutes apart; ~2% arrive hours late, ~0.5% are resent.
      sql: `CREATE OR REPLACE TABLE events AS
        WITH drawn AS (
          SELECT j,
            1 + floor(pow(${rnd(51, 'j')}, 2) * ${n.customers})::BIGINT AS user_id,
            ${start} + to_seconds(${rint(52, 'j', 366 * 86400)}) AS session_start,
            1 + ${rint(53, 'j', 8)} AS n_events,
            ${pick(sqlList(['mobile', 'desktop', 'tablet']), 54, 'j', 3)} AS device
          FROM range(${n.sessions}) r(j)
        ), timed AS (
          SELECT *, session_start + to_seconds((n_events - 1) * 120 + ${rint(57, 'j * 8 + n_events - 1', 100)}) AS last_event_ts FROM drawn
        ), sessions AS (
          -- a planted session starts exactly 30 minutes after the same user's previous one ended: still that session
          SELECT s.j AS session_key,
            CASE WHEN s.j % ${PLANTED.thirtyMinuteGapEvery} = 1 THEN p.user_id ELSE s.user_id END AS user_id,
            CASE WHEN s.j % ${PLANTED.thirtyMinuteGapEvery} = 1 THEN p.last_event_ts + to_seconds(1800 - ${rint(57, 's.j * 8', 100)}) ELSE s.session_start END AS session_start,
            s.n_events, s.device
          FROM timed s LEFT JOIN timed p ON p.j = s.j - 1
        ), raw AS (
          SELECT s.session_key * 8 + e.k AS event_id, s.user_id,
            CASE WHEN e.k = s.n_events - 1 AND ${rnd(55, 's.session_key')} < 0.3 THEN 'purchase'
                 WHEN e.k = 0 THEN 'page_view'
                 ELSE ${pick(sqlList(['page_view', 'page_view', 'search', 'add_to_cart']), 56, 's.session_key * 8 + e.k', 4)} END AS event_type,
            session_start + to_seconds(e.k * 120 + ${rint(57, 's.session_key * 8 + e.k', 100)}) AS event_ts,
            ${pick(sqlList(['/', '/search', '/product', '/cart', '/checkout', '/account']), 58, 's.session_key * 8 + e.k', 6)} AS page,
            s.device,
            ${rnd(59, 's.session_key * 8 + e.k')} AS r_late, ${rnd(60, 's.session_key * 8 + e.k')} AS r_dup
          FROM sessions s, range(8) e(k)
          WHERE e.k < s.n_events
        ), shaped AS MATERIALIZED (
          SELECT event_id, user_id, event_type, event_ts,
            event_ts + to_seconds(CASE WHEN r_late < 0.02 THEN 3600 + floor(r_dup * 20000)::BIGINT ELSE 1 + floor(r_late * 5)::BIGINT END) AS received_at,
            page, device, r_dup
          FROM raw
        )
        SELECT event_id, user_id, event_type, event_ts, received_at, page, device FROM shaped
        UNION ALL
        SELECT event_id, user_id, event_type, event_ts, received_at + INTERVAL 30 SECOND, page, device FROM shaped WHERE r_dup < 0.005`,
    },
    { name: '_gen_cleanup', sql: `DROP TABLE IF EXISTS _gen_customers; DROP TABLE IF EXISTS _gen_orders` },
  ];
}

/** Tables a learner sees, in the order they are listed to them. */
export const ECOMMERCE_TABLES = ['customers', 'categories', 'products', 'orders', 'order_items', 'events'] as const;
