import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectOnlyCurrentSnapshot, expectRolledBack } from '../../../../src/lab/table-checks.js';

export default defineExercise({
  title: 'Iceberg: time travel back past a bad delete, then expire old snapshots',
  kind: 'python',
  library: 'pyarrow',
  file: 'solution.py',
  writesTable: { format: 'iceberg', identifier: 'shop.sales', setup: 'setup.py' },
  traps: [
    { name: 'a sale the bad delete removed (any day but the last)', count: "SELECT count(*) FROM sales WHERE (sold_at AT TIME ZONE 'UTC')::DATE < (SELECT max((sold_at AT TIME ZONE 'UTC')::DATE) FROM sales)" },
    { name: 'a snapshot older than the one to roll back to (to expire)', count: "SELECT count(*) FROM (SELECT DISTINCT date_diff('day', (SELECT min(sold_at) FROM sales)::DATE, sold_at::DATE) // 7 FROM sales) HAVING count(*) > 1" },
  ],
  checks: [expectSameRows({ key: ['sale_id'] }), expectRolledBack(), expectOnlyCurrentSnapshot()],
  timeoutMs: 120_000,
});
