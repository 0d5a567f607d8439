import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectFlowCompleted, expectIdempotentRerun, expectTaskPerDay } from '../../../../src/lab/flow-checks.js';
import { DAILY_REVENUE_TRAPS } from '../../traps.js';

export default defineExercise({
  title: 'From a cron script to a flow: a task per day, and a re-run that replaces',
  kind: 'flow',
  file: 'flow.py',
  output: 'daily_revenue',
  // The grader runs the flow twice over the same days: the second run must change nothing.
  scenario: 'rerun',
  traps: DAILY_REVENUE_TRAPS,
  checks: [expectFlowCompleted(), expectTaskPerDay(), expectSameRows({ key: ['day'] }), expectIdempotentRerun()],
});
