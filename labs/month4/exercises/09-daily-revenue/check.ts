import { defineExercise, expectIdempotent, expectNoRows, expectSameRows, expectSqlUses, expectTotalsMatch, expectUniqueKey } from '../../../../src/lab/checks.js';
import { CURRENT_ORDERS, DAY_WITHOUT_ORDERS } from '../../traps.js';

export default defineExercise({
  title: 'gold.daily_revenue: a daily mart on the calendar',
  kind: 'model',
  file: 'gold.daily_revenue.sql',
  traps: [
    DAY_WITHOUT_ORDERS,
    { name: 'a day whose orders were all cancelled', count: `SELECT count(*) FROM (SELECT (ordered_at AT TIME ZONE 'UTC')::DATE FROM ${CURRENT_ORDERS} GROUP BY 1 HAVING bool_and(status = 'cancelled'))` },
    { name: 'an order of several lines', count: `SELECT count(*) FROM (SELECT line->>'order_id' FROM bronze.order_lines WHERE json_valid(line) GROUP BY 1 HAVING count(*) > 1)` },
  ],
  checks: [
    expectSqlUses(/\bgold\s*\.\s*dim_date\b/i, 'the calendar gold.dim_date', 'the dashboard needs every day, also a day nobody ordered: start from gold.dim_date and LEFT JOIN the fact'),
    expectUniqueKey(['order_date']),
    expectNoRows(
      'every day of gold.dim_date is a row',
      `SELECT date_day AS missing_day FROM gold.dim_date WHERE date_day NOT IN (SELECT order_date FROM learner WHERE order_date IS NOT NULL) ORDER BY date_day`,
      'days of gold.dim_date have no row (a day without orders is a row with 0 orders and 0.00 revenue: start from the calendar)',
    ),
    expectNoRows(
      'orders counts orders, not lines',
      `SELECT l.order_date, l.orders, count(DISTINCT f.order_id) AS distinct_orders, count(f.order_id) AS lines
       FROM learner l JOIN gold.fact_order_lines f ON f.order_date = l.order_date
       GROUP BY l.order_date, l.orders HAVING l.orders <> count(DISTINCT f.order_id) ORDER BY l.order_date`,
      "days whose `orders` is not the number of distinct orders in the fact (the fact has one row per order LINE: count(DISTINCT order_id))",
    ),
    expectNoRows(
      'avg_order_value is revenue / orders',
      `SELECT order_date, orders, revenue, avg_order_value, round(revenue / nullif(orders, 0), 2) AS revenue_per_order FROM learner
       WHERE (avg_order_value IS NULL) <> (coalesce(orders, 0) = 0) OR abs(avg_order_value - revenue / nullif(orders, 0)) > 0.0051 ORDER BY order_date`,
      'days whose avg_order_value is not round(revenue / orders, 2) (the average ORDER, not the average line; NULL on a day without orders)',
    ),
    expectSameRows({ key: ['order_date'] }),
    expectTotalsMatch('revenue reconciles with the fact', 'SELECT sum(revenue) FROM learner', 'SELECT sum(line_amount) FROM gold.fact_order_lines', 'the total revenue'),
    expectIdempotent(),
  ],
});
