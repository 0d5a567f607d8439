import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDetects, expectWellFormedAlerts } from '../../../../src/lab/stream-checks.js';
import { BIG_SPENDER, SMALL_SPENDER_SPIKE, SPIKE_AT_20, SPIKE_MODEST, SPIKE_YOUNG_CARD } from '../../traps.js';

export default defineExercise({
  title: "amount spike: far above the card's own history (running mean and deviation)",
  kind: 'stream',
  file: 'detector.ts',
  traps: [SPIKE_MODEST, SPIKE_AT_20, SPIKE_YOUNG_CARD, BIG_SPENDER, SMALL_SPENDER_SPIKE],
  checks: [expectWellFormedAlerts(), ...expectDetects('amount_spike')],
});
