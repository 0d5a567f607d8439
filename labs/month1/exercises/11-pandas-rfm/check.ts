import { defineExercise, expectNoRowLoops, expectSameRows } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'pandas: RFM per customer, vectorized',
  kind: 'python',
  file: 'solution.py',
  library: 'pandas',
  checks: [expectNoRowLoops(), expectSameRows({ key: ['customer_id'] })],
});
