import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectFlowCompleted, expectPublishedOneAtATime, expectSummaryOfRuns } from '../../../../src/lab/flow-checks.js';
import { DAILY_REVENUE_TRAPS } from '../../traps.js';

export default defineExercise({
  title: 'A step that must never run twice at once',
  kind: 'flow',
  file: 'flow.py',
  output: 'daily_revenue',
  // Two runs at once over overlapping days, as a backfill that meets the nightly run.
  scenario: 'overlap',
  concurrencyLimits: { summary: 1 },
  traps: DAILY_REVENUE_TRAPS,
  checks: [expectFlowCompleted(), expectPublishedOneAtATime(), expectSummaryOfRuns({ value: 'revenue_cents' }), expectSameRows({ key: ['day'] })],
});
