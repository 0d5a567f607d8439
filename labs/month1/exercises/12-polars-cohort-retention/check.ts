import { defineExercise, expectNoRowLoops, expectSameRows } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'polars: cohort retention',
  kind: 'python',
  file: 'solution.py',
  library: 'polars',
  checks: [expectNoRowLoops(), expectSameRows({ key: ['cohort_month', 'months_since'] })],
});
