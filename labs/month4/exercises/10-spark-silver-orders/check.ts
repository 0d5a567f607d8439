import { defineExercise, expectNoRowLoops, expectSameRows } from '../../../../src/lab/checks.js';
import { BOTH_SHAPES, NEWEST_LINE_BROKEN, ORDER_LINE_TWICE, UNPARSEABLE_ORDER_LINE, WRONG_TYPE_ORDER_LINE } from '../../traps.js';

export default defineExercise({
  title: 'PySpark track: silver.orders as a Spark job',
  kind: 'python',
  library: 'pyspark',
  file: 'silver_orders.py',
  traps: [ORDER_LINE_TWICE, BOTH_SHAPES, UNPARSEABLE_ORDER_LINE, WRONG_TYPE_ORDER_LINE, NEWEST_LINE_BROKEN],
  checks: [expectNoRowLoops(), expectSameRows({ key: ['order_id'] })],
  // Spark starts a JVM: allow for it on top of the job itself.
  timeoutMs: 180_000,
});
