import { defineExercise, expectNoRowLoops, expectSameRows } from '../../../../src/lab/checks.js';
import { CANCELLED_AFTER_PLACED, CURRENT_ORDERS, RETURNED_ORDER } from '../../traps.js';

export default defineExercise({
  title: 'pandas: RFM per customer, vectorized',
  kind: 'python',
  file: 'solution.py',
  traps: [
    { name: 'customers tied in frequency (ties broken by customer_id)', count: `SELECT count(*) FROM (SELECT n FROM (SELECT customer_id, count(*) AS n FROM ${CURRENT_ORDERS} GROUP BY 1) GROUP BY n HAVING count(*) > 1)` },
    { name: 'a line without a discount (NaN in pandas)', count: `SELECT count(*) FROM order_items WHERE discount IS NULL` },
    RETURNED_ORDER,
    CANCELLED_AFTER_PLACED,
  ],
  library: 'pandas',
  checks: [expectNoRowLoops(), expectSameRows({ key: ['customer_id'] })],
});
