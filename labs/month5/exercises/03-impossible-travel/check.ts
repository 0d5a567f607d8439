import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDetects, expectWellFormedAlerts } from '../../../../src/lab/stream-checks.js';
import { OUT_OF_ORDER, POSSIBLE_TRAVEL } from '../../traps.js';

export default defineExercise({
  title: 'impossible travel: two countries too far apart for the time between them',
  kind: 'stream',
  file: 'detector.ts',
  traps: [POSSIBLE_TRAVEL, OUT_OF_ORDER],
  checks: [expectWellFormedAlerts(), ...expectDetects('impossible_travel')],
});
