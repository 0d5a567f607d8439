import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDetects, expectNothingLost, expectWellFormedAlerts } from '../../../../src/lab/stream-checks.js';
import { SPIKE_AT_20, SPIKE_MODEST } from '../../traps.js';

export default defineExercise({
  title: 'rebalance: two instances, one killed mid-stream, the other carries on with its state',
  kind: 'stream',
  file: 'detector.ts',
  // A clean pass with one instance; then two in one group, one killed once the first third is consumed.
  scenario: 'rebalance',
  traps: [SPIKE_AT_20, SPIKE_MODEST],
  checks: [expectWellFormedAlerts(), expectNothingLost(), ...expectDetects('amount_spike')],
});
