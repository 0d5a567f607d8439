import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectOnlyPartitionsRewritten, expectPartitionTransform } from '../../../../src/lab/table-checks.js';
import { RESTATED_TRAPS } from '../../traps.js';

export default defineExercise({
  title: 'Iceberg: hidden partitioning, one day overwritten',
  kind: 'python',
  library: 'pyarrow',
  file: 'solution.py',
  writesTable: { format: 'iceberg', identifier: 'shop.sales' },
  traps: RESTATED_TRAPS,
  checks: [
    expectSameRows({ key: ['sale_id'] }),
    expectPartitionTransform({ source: 'sold_at', transform: 'day' }),
    expectOnlyPartitionsRewritten({ loadedTable: 'sales', partitions: 1, what: 'the restated day' }),
  ],
  timeoutMs: 120_000,
});
