import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';
import { CANCELLED_AFTER_PLACED, CURRENT_ORDERS, ORDER_WITH_VERSIONS } from '../../traps.js';

export default defineExercise({
  title: 'Top products per department with DENSE_RANK',
  kind: 'sql',
  file: 'query.sql',
  traps: [
    {
      name: "two products tie for a department's first place",
      count: `WITH revenue AS (
          SELECT i.product_id, sum(i.quantity * i.unit_price * (1 - coalesce(i.discount, 0))) AS revenue
          FROM order_items i JOIN ${CURRENT_ORDERS} o USING (order_id) WHERE o.status <> 'cancelled' GROUP BY i.product_id
        ), ranked AS (
          SELECT aisle.parent_id AS department, r.revenue, dense_rank() OVER (PARTITION BY aisle.parent_id ORDER BY r.revenue DESC) AS rnk
          FROM revenue r JOIN products p USING (product_id) JOIN categories shelf ON shelf.category_id = p.category_id JOIN categories aisle ON aisle.category_id = shelf.parent_id
        )
        SELECT count(*) FROM (SELECT department FROM ranked WHERE rnk = 1 GROUP BY department HAVING count(*) > 1)`,
    },
    CANCELLED_AFTER_PLACED,
    ORDER_WITH_VERSIONS,
  ],
  checks: [
    expectSqlUses(
      /\bdense_rank\s*\(/i,
      'DENSE_RANK()',
      'rank the products of each department with DENSE_RANK() OVER (PARTITION BY department ORDER BY revenue DESC) and keep ranks 1 to 3; ' +
        'ORDER BY … LIMIT 3 gives 3 rows for the whole shop, ROW_NUMBER() drops one of two tied products and RANK() skips a rank after a tie',
    ),
    expectSameRows({ key: ['department', 'product_id'] }),
  ],
});
