import { defineExercise, expectNoRowLoops, expectSameRows } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'PySpark track: silver.orders as a Spark job',
  kind: 'python',
  library: 'pyspark',
  file: 'silver_orders.py',
  checks: [expectNoRowLoops(), expectSameRows({ key: ['order_id'] })],
  // Spark starts a JVM: allow for it on top of the job itself.
  timeoutMs: 180_000,
});
