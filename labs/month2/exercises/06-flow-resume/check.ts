import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectFlowCompleted, expectResumedFromFailure } from '../../../../src/lab/flow-checks.js';
import { DAILY_REVENUE_TRAPS } from '../../traps.js';

export default defineExercise({
  title: 'An outage: fail loudly, then resume where it stopped',
  kind: 'flow',
  file: 'flow.py',
  output: 'daily_revenue',
  // A first run while the source is down for one day, then a second run once it is back.
  scenario: 'resume',
  traps: [...DAILY_REVENUE_TRAPS, { name: 'a day the source is down for during the first run', count: 'SELECT count(*) FROM faults WHERE outage' }],
  checks: [expectFlowCompleted({ exceptFirst: true }), expectResumedFromFailure(), expectSameRows({ key: ['day'] })],
});
