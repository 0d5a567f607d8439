import { defineExercise, expectNoRowLoops, expectSameRows } from '../../../../src/lab/checks.js';
import { CANCELLED_AFTER_PLACED, CURRENT_ORDERS, RETURNED_ORDER } from '../../traps.js';

export default defineExercise({
  title: 'polars: cohort retention',
  kind: 'python',
  file: 'solution.py',
  traps: [
    { name: 'a customer with several orders in one month (one active customer)', count: `SELECT count(*) FROM (SELECT customer_id, date_trunc('month', ordered_at) FROM ${CURRENT_ORDERS} WHERE status <> 'cancelled' GROUP BY ALL HAVING count(*) > 1)` },
    {
      name: 'orders in two calendar months fewer than 30 days apart (1 month, by the calendar)',
      count: `SELECT count(*) FROM (SELECT ordered_at, lag(ordered_at) OVER (PARTITION BY customer_id ORDER BY ordered_at) AS prev FROM ${CURRENT_ORDERS} WHERE status <> 'cancelled')
        WHERE month(ordered_at) <> month(prev) AND ordered_at - prev < INTERVAL 30 DAY`,
    },
    RETURNED_ORDER,
    CANCELLED_AFTER_PLACED,
  ],
  library: 'polars',
  checks: [expectNoRowLoops(), expectSameRows({ key: ['cohort_month', 'months_since'] })],
});
