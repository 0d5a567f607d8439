import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectDeltaOperations } from '../../../../src/lab/table-checks.js';
import { RESTATED_TRAPS } from '../../traps.js';

export default defineExercise({
  title: 'Delta: one MERGE for a restated day (update, insert, delete)',
  kind: 'python',
  library: 'pyarrow',
  file: 'solution.py',
  writesTable: { format: 'delta', setup: 'setup.py' },
  traps: RESTATED_TRAPS,
  checks: [
    expectSameRows({ key: ['sale_id'] }),
    expectDeltaOperations({
      required: [{ operation: 'MERGE', why: 'a MERGE rewrites only the files holding rows it changes, in one atomic version' }],
      forbidden: [{ operation: 'WRITE', mode: 'Overwrite', why: 'overwriting the table to fix one day rewrites every file' }],
    }),
  ],
  timeoutMs: 120_000,
});
