import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectHistoryKept, expectRenamedInPlace } from '../../../../src/lab/table-checks.js';

export default defineExercise({
  title: 'Iceberg: the schema evolved in place (a rename, a new column)',
  kind: 'python',
  library: 'pyarrow',
  file: 'solution.py',
  writesTable: { format: 'iceberg', identifier: 'shop.sales', setup: 'setup.py' },
  traps: [
    { name: 'a sale written before the rename (its amount must read as amount_cents)', count: 'SELECT count(*) FROM sales' },
    { name: 'a month of sales laid in more than one snapshot', count: "SELECT count(*) FROM (SELECT DISTINCT date_diff('day', (SELECT min(sold_at) FROM sales)::DATE, sold_at::DATE) // 7 FROM sales) HAVING count(*) > 1" },
  ],
  checks: [expectSameRows({ key: ['sale_id'] }), expectRenamedInPlace({ from: 'amount', to: 'amount_cents' }), expectHistoryKept({ snapshots: 2 })],
  timeoutMs: 120_000,
});
