import { defineExercise, expectCacheReused, expectSameRows } from '../../../../src/lab/checks.js';
import { CANCELLED_LATER, LATER_VERSION, RESENT_LINE } from '../../traps.js';

export default defineExercise({
  title: 'Spark: cache the frame you use twice',
  kind: 'python',
  library: 'pyspark',
  file: 'solution.py',
  traps: [
    RESENT_LINE,
    LATER_VERSION,
    CANCELLED_LATER,
    {
      name: "a customer whose first order was cancelled and who ordered again on a later day (new then, not on the cancelled order's day)",
      count: `WITH newest AS (SELECT * FROM landing_orders QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1)
        SELECT count(*) FROM (SELECT customer_id, min(day) AS first_any, min(day) FILTER (WHERE status <> 'cancelled') AS first_current FROM newest GROUP BY customer_id)
        WHERE first_current > first_any`,
    },
  ],
  checks: [
    expectSameRows({ key: ['day'] }),
    expectCacheReused({
      times: 2,
      holding: /^Exchange hashpartitioning\(order_id#/,
      holdingWhat: 'the deduplication (its shuffle by order_id)',
      why: 'Spark recomputes a DataFrame for every use unless it is cached: call .cache() on the current orders once they are deduplicated, and build both aggregates from that frame',
    }),
  ],
  timeoutMs: 180_000,
});
