import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';
import { CURRENT_ORDERS, ORDER_WITH_VERSIONS } from '../../traps.js';

export default defineExercise({
  title: 'LAG/LEAD: gaps between a customer\'s orders',
  kind: 'sql',
  file: 'query.sql',
  traps: [
    { name: 'two orders of one customer at the same instant', count: `SELECT count(*) FROM (SELECT customer_id, ordered_at FROM ${CURRENT_ORDERS} GROUP BY ALL HAVING count(*) > 1)` },
    ORDER_WITH_VERSIONS,
    { name: 'a cancelled order (it is still a visit)', count: `SELECT count(*) FROM ${CURRENT_ORDERS} WHERE status = 'cancelled'` },
    { name: 'a customer with a single order (NULL on both sides)', count: `SELECT count(*) FROM (SELECT customer_id FROM ${CURRENT_ORDERS} GROUP BY customer_id HAVING count(*) = 1)` },
  ],
  checks: [
    expectSqlUses(
      /\blag\s*\([\s\S]*\blead\s*\(|\blead\s*\([\s\S]*\blag\s*\(/i,
      'LAG() and LEAD()',
      'read the previous order with LAG(…) OVER (PARTITION BY customer_id ORDER BY ordered_at, order_id) and the next one with LEAD(…) over the same window; ' +
        'a self-join on "the latest earlier order" does the same work once per pair of orders',
    ),
    expectSameRows({ key: ['order_id'] }),
  ],
});
