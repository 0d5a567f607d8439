import { defineExercise, expectIdempotent, expectIncremental, expectPartitionedBy, expectSameRows, expectUniqueKey } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'silver.order_lines: typed money, to the cent',
  kind: 'model',
  file: 'silver.order_lines.sql',
  checks: [
    expectUniqueKey(['order_id', 'line_no']),
    expectSameRows({ key: ['order_id', 'line_no'] }),
    expectPartitionedBy('order_date'),
    expectIdempotent(),
    expectIncremental(),
  ],
});
