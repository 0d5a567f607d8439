import { definePair } from '../pair.js';
import { ensureShopInPostgres, num, postgresQuerySide } from './shop.js';

const revenueRow = (x: Record<string, unknown>) => [x.region, x.category, x.month, num(x.revenue)];

const STAR = `
CREATE TABLE dim_customer AS SELECT c.id AS customer_key, r.name AS region FROM customers c JOIN cities ci ON ci.id = c.city_id JOIN regions r ON r.id = ci.region_id;
CREATE TABLE dim_product AS SELECT p.id AS product_key, cat.name AS category FROM products p JOIN categories cat ON cat.id = p.category_id;
CREATE TABLE fact_sales AS
  SELECT o.id AS order_key, o.customer_id AS customer_key, o.product_id AS product_key,
         (extract(year FROM o.ordered_at AT TIME ZONE 'UTC') * 100 + extract(month FROM o.ordered_at AT TIME ZONE 'UTC'))::int AS month_key,
         o.amount_cents::bigint * o.qty AS revenue_cents
  FROM orders o WHERE o.status = 'paid';
ALTER TABLE dim_customer ADD PRIMARY KEY (customer_key);
ALTER TABLE dim_product ADD PRIMARY KEY (product_key);
ANALYZE dim_customer, dim_product, fact_sales;
CREATE TABLE star_built ();`;

/** Paid revenue by region, category and month. */
export const starSchema = definePair({
  id: 'star-schema',
  title: 'A 3NF schema joined at query time vs a star schema built for reads',
  habit: { backend: 'normalize (3NF) and join at query time', data: 'a fact table and small dimensions, built once for the questions asked' },
  needs: ['postgres'],
  lesson: [
    '3NF is right for writes: each fact once. A report then pays five joins and derives the month on every row, every time it runs.',
    'The star schema pays that once, at build time: the fact table holds the keys and the measure, each dimension one small join.',
    'The gain is a few times, not orders of magnitude, and the star must be rebuilt when the source changes (that is what dbt runs).',
  ],
  async prepare(ctx) {
    await ensureShopInPostgres(ctx);
    const built = await ctx.pg!.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'star_built'`, [ctx.postgres!.schema]);
    if (!built.rowCount) await ctx.pg!.query(`SET search_path = ${ctx.postgres!.schema}; ${STAR}`);
  },
  backend: postgresQuerySide(
    '3NF joins',
    'Postgres (5 joins at query time)',
    `SELECT r.name AS region, cat.name AS category,
            (extract(year FROM o.ordered_at AT TIME ZONE 'UTC') * 100 + extract(month FROM o.ordered_at AT TIME ZONE 'UTC'))::int AS month,
            sum(o.amount_cents::bigint * o.qty) AS revenue
     FROM orders o
     JOIN customers c ON c.id = o.customer_id JOIN cities ci ON ci.id = c.city_id JOIN regions r ON r.id = ci.region_id
     JOIN products p ON p.id = o.product_id JOIN categories cat ON cat.id = p.category_id
     WHERE o.status = 'paid'
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    revenueRow,
  ),
  data: postgresQuerySide(
    'star schema',
    'Postgres (fact + 2 dimensions)',
    `SELECT dc.region, dp.category, f.month_key AS month, sum(f.revenue_cents) AS revenue
     FROM fact_sales f JOIN dim_customer dc USING (customer_key) JOIN dim_product dp USING (product_key)
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    revenueRow,
  ),
});
