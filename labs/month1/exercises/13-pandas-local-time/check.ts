import { defineExercise, expectNoRowLoops, expectSameRows } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'pandas: mixed time zones',
  kind: 'python',
  file: 'solution.py',
  library: 'pandas',
  checks: [expectNoRowLoops(), expectSameRows({ key: ['hour'], orderBy: ['hour'] })],
});
