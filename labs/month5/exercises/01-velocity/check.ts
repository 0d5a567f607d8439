import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDetects, expectWellFormedAlerts } from '../../../../src/lab/stream-checks.js';
import { BURST_ACROSS_MINUTE, HOT_KEY, OUT_OF_ORDER, REDELIVERY, VELOCITY_REDELIVERY_NEAR_MISS, VELOCITY_SLOW_NEAR_MISS } from '../../traps.js';

export default defineExercise({
  title: 'velocity: 5 payments of one card within 60 s, on a sliding window in Redis',
  kind: 'stream',
  file: 'detector.ts',
  traps: [BURST_ACROSS_MINUTE, VELOCITY_REDELIVERY_NEAR_MISS, VELOCITY_SLOW_NEAR_MISS, REDELIVERY, OUT_OF_ORDER, HOT_KEY],
  checks: [expectWellFormedAlerts(), ...expectDetects('velocity')],
});
