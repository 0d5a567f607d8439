import { defineExercise, expectIdempotent, expectNoRows, expectPartitionedBy, expectSameRows, expectTotalsMatch } from '../../../../src/lab/checks.js';
import { CANCELLED_ORDER, CURRENT_ORDERS, CUSTOMER_VERSIONS, VALID_ORDER_LINES } from '../../traps.js';

export default defineExercise({
  title: 'gold.fact_order_lines: a point-in-time join to the SCD2 customer',
  kind: 'model',
  file: 'gold.fact_order_lines.sql',
  traps: [
    CUSTOMER_VERSIONS,
    CANCELLED_ORDER,
    {
      name: "an order placed before its customer's first version",
      count: `WITH firsts AS (SELECT customer_id::BIGINT AS customer_id, min(updated_at::TIMESTAMP) AS first_version FROM bronze.customers GROUP BY 1)
        SELECT count(*) FROM ${CURRENT_ORDERS} o JOIN firsts f USING (customer_id) WHERE o.status <> 'cancelled' AND (o.ordered_at AT TIME ZONE 'UTC') < f.first_version`,
    },
    {
      name: 'a line whose order has no valid line at all (not in silver.orders)',
      count: `SELECT count(*) FROM bronze.order_lines WHERE json_valid(line) AND try_cast(line->>'order_id' AS BIGINT) NOT IN (SELECT order_id FROM ${VALID_ORDER_LINES})`,
    },
  ],
  checks: [
    expectNoRows(
      'unique key (order_id, line_no)',
      `SELECT order_id, line_no, count(*) AS copies FROM learner GROUP BY order_id, line_no HAVING count(*) > 1 ORDER BY copies DESC, order_id, line_no`,
      'order lines appear more than once (a customer with several versions in gold.dim_customer matches each of them: join only the version valid when the order was placed)',
    ),
    expectNoRows(
      'no lines of cancelled orders',
      `SELECT order_id, line_no, status FROM learner WHERE status = 'cancelled' ORDER BY order_id, line_no`,
      "lines of cancelled orders are in the fact (their revenue never happened: keep only orders whose current status is not 'cancelled')",
    ),
    expectNoRows(
      'customer_key is the version valid when the order was placed',
      `SELECT l.order_id, l.line_no, l.customer_key, r.customer_key AS expected_customer_key
       FROM learner l JOIN reference r USING (order_id, line_no)
       WHERE l.customer_key IS DISTINCT FROM r.customer_key ORDER BY l.order_id, l.line_no`,
      "lines point at another version of their customer than the one valid when the order was placed (valid_from <= ordered_at < valid_to, valid_to NULL = no end; ordered_at as a UTC TIMESTAMP; before the first version: the first)",
    ),
    expectSameRows({ key: ['order_id', 'line_no'] }),
    expectTotalsMatch(
      'revenue reconciles with silver.order_lines',
      'SELECT sum(line_amount) FROM learner',
      `SELECT sum(l.line_amount) FROM silver.order_lines l JOIN silver.orders o ON o.order_id = l.order_id WHERE o.status <> 'cancelled'`,
      'sum(line_amount) over non-cancelled orders',
    ),
    expectPartitionedBy('order_date'),
    expectIdempotent(),
  ],
});
