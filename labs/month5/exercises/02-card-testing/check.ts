import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDetects, expectWellFormedAlerts } from '../../../../src/lab/stream-checks.js';
import { REDELIVERY, TESTING_AT_200, TESTING_NO_BIG, TESTING_REDELIVERY, TESTING_TINY_IS_BELOW_2, TESTING_TOO_LONG_AGO } from '../../traps.js';

export default defineExercise({
  title: 'card testing: tiny payments, then a big one within 10 minutes',
  kind: 'stream',
  file: 'detector.ts',
  traps: [TESTING_AT_200, TESTING_TINY_IS_BELOW_2, TESTING_TOO_LONG_AGO, TESTING_REDELIVERY, TESTING_NO_BIG, REDELIVERY],
  checks: [expectWellFormedAlerts(), ...expectDetects('card_testing')],
});
