import { defineExercise, expectSameRows, expectSkewHandled } from '../../../../src/lab/checks.js';
import { LATER_VERSION, RESENT_LINE } from '../../traps.js';

export default defineExercise({
  title: 'Spark: a skewed join, split',
  kind: 'python',
  library: 'pyspark',
  file: 'solution.py',
  sparkConf: {
    // A shuffle join unless the learner broadcasts, and no skew handling unless the learner turns it on.
    'spark.sql.autoBroadcastJoinThreshold': '-1',
    'spark.sql.adaptive.skewJoin.enabled': 'false',
    // Partitions as a cluster would have them: 16 after a shuffle, and events read by 8 tasks or more
    // (a skewed partition is split along the map outputs that wrote it).
    'spark.sql.shuffle.partitions': '16',
    'spark.sql.files.minPartitionNum': '8',
    'spark.sql.files.openCostInBytes': '0',
  },
  traps: [
    { name: 'customer 1 holds more than a quarter of the events', count: 'SELECT count(*) FILTER (WHERE customer_id = 1) * (count(*) FILTER (WHERE customer_id = 1) > count(*) / 4)::INT FROM events' },
    { name: 'orders of customer 1: the hot key meets the other side of the join', count: 'SELECT count(*) FROM landing_orders WHERE customer_id = 1' },
    RESENT_LINE,
    LATER_VERSION,
    {
      name: 'an order with no click of its customer in the 24 hours before it',
      count: `SELECT count(*) FROM (SELECT order_id, any_value(customer_id) AS customer_id, min(updated_at) AS placed_at FROM landing_orders GROUP BY order_id) o
        WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.customer_id = o.customer_id AND e.ts <= o.placed_at AND e.ts > o.placed_at - INTERVAL 1 DAY)`,
    },
  ],
  checks: [
    expectSameRows({ key: ['order_id'] }),
    expectSkewHandled({
      key: 'customer_id',
      hot: 'customer 1 (a scraper behind one account) holds a third of the events',
      why: 'let adaptive execution split the hot partition (spark.sql.adaptive.skewJoin.enabled with thresholds below this data\'s sizes), salt the key, or broadcast the orders',
    }),
  ],
  timeoutMs: 180_000,
});
