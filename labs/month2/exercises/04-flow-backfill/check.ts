import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectConcurrentDays, expectFlowCompleted, expectOnlyRequestedDays } from '../../../../src/lab/flow-checks.js';
import { DAILY_REVENUE_TRAPS } from '../../traps.js';

export default defineExercise({
  title: 'A backfill: the days asked for, at the same time',
  kind: 'flow',
  file: 'flow.py',
  output: 'daily_revenue',
  // From the second day to the one before the last: a range, not everything.
  scenario: 'backfill',
  // A slow source (1 s a request): days run at once show plainly, even on a busy machine.
  sourceLatencyMs: 1_000,
  traps: DAILY_REVENUE_TRAPS,
  checks: [expectFlowCompleted(), expectOnlyRequestedDays(), expectConcurrentDays(), expectSameRows({ key: ['day'] })],
});
