import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectFlowCompleted, expectLateDropRead } from '../../../../src/lab/flow-checks.js';
import { DAILY_REVENUE_TRAPS } from '../../traps.js';

export default defineExercise({
  title: 'A sensor: wait for the drop that lands late',
  kind: 'flow',
  file: 'flow.py',
  output: 'daily_revenue',
  faults: ['late'],
  traps: [...DAILY_REVENUE_TRAPS, { name: 'a day whose drop lands after the run has started', count: 'SELECT count(*) FROM faults WHERE late_ms > 0' }],
  checks: [expectFlowCompleted(), expectLateDropRead(), expectSameRows({ key: ['day'] })],
});
