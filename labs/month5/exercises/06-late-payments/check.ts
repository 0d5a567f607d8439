import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDeadLetters } from '../../../../src/lab/stream-checks.js';
import { LATE_BUT_ALLOWED, OUT_OF_ORDER, TOO_LATE } from '../../traps.js';

export default defineExercise({
  title: 'late payments: a watermark per partition, the too-late ones to a dead-letter topic',
  kind: 'stream',
  file: 'detector.ts',
  traps: [TOO_LATE, LATE_BUT_ALLOWED, OUT_OF_ORDER],
  checks: [expectDeadLetters()],
});
