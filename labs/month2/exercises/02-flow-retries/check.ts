import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectFlowCompleted, expectRetriedWithBackoff } from '../../../../src/lab/flow-checks.js';
import { DAILY_REVENUE_TRAPS } from '../../traps.js';

export default defineExercise({
  title: 'Retries with backoff: a source that answers 503 now and then',
  kind: 'flow',
  file: 'flow.py',
  output: 'daily_revenue',
  faults: ['transient'],
  traps: [
    ...DAILY_REVENUE_TRAPS,
    { name: 'a day the source fails on twice before it answers (a second wait to back off)', count: 'SELECT count(*) FROM faults WHERE transient_failures >= 2' },
  ],
  checks: [expectFlowCompleted(), expectRetriedWithBackoff(), expectSameRows({ key: ['day'] })],
});
