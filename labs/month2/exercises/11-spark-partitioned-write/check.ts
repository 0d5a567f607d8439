import { defineExercise, expectPartitionedFiles, expectSameRows } from '../../../../src/lab/checks.js';
import { CANCELLED_LATER, LATER_VERSION, RESENT_LINE } from '../../traps.js';

/** What an earlier run left in the folder: each order's first version (older than its newest, for many), by day. */
const EARLIER_RUN = `SELECT order_id, customer_id, status, amount_cents, updated_at, day FROM landing_orders
  WHERE status <> 'cancelled' QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at, line) = 1`;

export default defineExercise({
  title: 'Spark: partitioned by day, one file per day',
  kind: 'python',
  library: 'pyspark',
  file: 'solution.py',
  writesDataset: { partitionBy: ['day'], earlierRun: EARLIER_RUN },
  sparkConf: {
    // As on a cluster, where every task of a shuffle holds data: 8 partitions after a shuffle, none merged
    // because the lab's data is small, and the input read by several tasks.
    'spark.sql.shuffle.partitions': '8',
    'spark.sql.adaptive.coalescePartitions.enabled': 'false',
    'spark.sql.files.minPartitionNum': '4',
    'spark.sql.files.openCostInBytes': '0',
  },
  traps: [
    RESENT_LINE,
    LATER_VERSION,
    CANCELLED_LATER,
    {
      name: "a day whose orders are spread over every task of the deduplication's shuffle (64 order ids or more)",
      count: 'SELECT count(*) FROM (SELECT day FROM landing_orders GROUP BY day HAVING count(DISTINCT order_id) >= 64)',
    },
    {
      name: "an earlier run's file in output_dir holding an order's older version",
      count: `WITH earlier AS (${EARLIER_RUN}), newest AS (SELECT order_id, max(updated_at) AS updated_at FROM landing_orders GROUP BY order_id)
        SELECT count(*) FROM earlier JOIN newest USING (order_id) WHERE earlier.updated_at < newest.updated_at`,
    },
  ],
  checks: [
    expectSameRows({ key: ['order_id'] }),
    expectPartitionedFiles({
      by: 'day',
      filesPerPartition: 1,
      why: 'each task of the last stage writes its own file into every day folder it holds rows of: .repartition("day") before .write.partitionBy("day") sends each day to one task, so each day is one file',
    }),
  ],
  // Spark starts a JVM: allow for it on top of the job itself.
  timeoutMs: 180_000,
});
