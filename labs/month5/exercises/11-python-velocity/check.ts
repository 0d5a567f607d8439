import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDetects, expectWellFormedAlerts } from '../../../../src/lab/stream-checks.js';
import { BURST_ACROSS_MINUTE, HOT_KEY, OUT_OF_ORDER, REDELIVERY, VELOCITY_REDELIVERY_NEAR_MISS, VELOCITY_SLOW_NEAR_MISS } from '../../traps.js';

export default defineExercise({
  title: 'Python track: velocity as a Python consumer (confluent-kafka and redis-py), the same rule and grading as 01',
  kind: 'stream',
  file: 'detector.py',
  traps: [BURST_ACROSS_MINUTE, VELOCITY_REDELIVERY_NEAR_MISS, VELOCITY_SLOW_NEAR_MISS, REDELIVERY, OUT_OF_ORDER, HOT_KEY],
  checks: [expectWellFormedAlerts(), ...expectDetects('velocity')],
});
