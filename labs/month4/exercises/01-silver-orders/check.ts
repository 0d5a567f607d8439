import { defineExercise, expectIdempotent, expectPartitionedBy, expectSameRows, expectUniqueKey } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'silver.orders: typed, conformed, one row per order',
  kind: 'model',
  file: 'silver.orders.sql',
  checks: [
    expectUniqueKey(['order_id']),
    expectSameRows({ key: ['order_id'] }),
    expectPartitionedBy('order_date'),
    expectIdempotent(),
  ],
});
