import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDetects, expectNoDuplicateAlerts, expectNothingLost, expectWellFormedAlerts } from '../../../../src/lab/stream-checks.js';
import { REDELIVERY } from '../../traps.js';

export default defineExercise({
  title: 'commit after write: killed mid-stream and restarted, no alert lost and none twice',
  kind: 'stream',
  file: 'detector.ts',
  // A clean pass first; then a SIGKILL mid-stream, a restart, and the rest of the stream.
  scenario: 'crash',
  traps: [REDELIVERY],
  checks: [expectWellFormedAlerts(), expectNothingLost(), expectNoDuplicateAlerts(), ...expectDetects('velocity')],
});
