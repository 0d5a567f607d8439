import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectCompacted, expectDeltaOperations, expectVacuumed } from '../../../../src/lab/table-checks.js';

export default defineExercise({
  title: 'Delta: restore a version, compact small files, vacuum',
  kind: 'python',
  library: 'pyarrow',
  file: 'solution.py',
  writesTable: { format: 'delta', setup: 'setup.py' },
  traps: [
    { name: 'a day whose sales came in more than one load (small files to compact)', count: "SELECT count(*) FROM (SELECT (sold_at AT TIME ZONE 'UTC')::DATE FROM sales GROUP BY 1 HAVING count(DISTINCT sale_id % 6) > 1)" },
    { name: 'a sale the replayed load wrote twice', count: 'SELECT count(*) FROM sales WHERE sale_id % 6 = 5' },
  ],
  checks: [
    expectSameRows({ key: ['sale_id'] }),
    expectDeltaOperations({
      required: [
        { operation: 'RESTORE', why: 'restore the version before the replay (DeltaTable.restore): the log then says what was undone, and nothing else is touched' },
        { operation: 'OPTIMIZE', why: 'compact the small files (DeltaTable.optimize.compact())' },
      ],
    }),
    expectCompacted({ perPartition: 1 }),
    expectVacuumed(),
  ],
  timeoutMs: 120_000,
});
