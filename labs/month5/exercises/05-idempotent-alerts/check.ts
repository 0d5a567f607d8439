import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDetects, expectNoDuplicateAlerts, expectWellFormedAlerts } from '../../../../src/lab/stream-checks.js';
import { REDELIVERY } from '../../traps.js';

export default defineExercise({
  title: 'idempotent alerts: a restart from older offsets writes no alert twice',
  kind: 'stream',
  file: 'detector.ts',
  // After the stream is consumed, the detector is restarted from the middle of every partition.
  scenario: 'redeliver',
  traps: [REDELIVERY],
  checks: [expectWellFormedAlerts(), expectNoDuplicateAlerts(), ...expectDetects('velocity')],
});
