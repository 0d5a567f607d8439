import { defineExercise, expectIdempotent, expectPartitionedBy, expectSameRows, expectUniqueKey } from '../../../../src/lab/checks.js';
import { BOTH_SHAPES, LATE_UPDATE, NEWEST_LINE_BROKEN, ORDER_LINE_TWICE, UNPARSEABLE_ORDER_LINE, WRONG_TYPE_ORDER_LINE } from '../../traps.js';

export default defineExercise({
  title: 'silver.orders: typed, conformed, one row per order',
  kind: 'model',
  file: 'silver.orders.sql',
  traps: [ORDER_LINE_TWICE, LATE_UPDATE, BOTH_SHAPES, UNPARSEABLE_ORDER_LINE, WRONG_TYPE_ORDER_LINE, NEWEST_LINE_BROKEN],
  checks: [
    expectUniqueKey(['order_id']),
    expectSameRows({ key: ['order_id'] }),
    expectPartitionedBy('order_date'),
    expectIdempotent(),
  ],
});
