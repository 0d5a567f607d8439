import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDetects, expectWatermark, expectWellFormedAlerts } from '../../../../src/lab/stream-checks.js';
import { BURST_ACROSS_MINUTE, LATE_BUT_ALLOWED, OUT_OF_ORDER, REDELIVERY, VELOCITY_REDELIVERY_NEAR_MISS, VELOCITY_SLOW_NEAR_MISS } from '../../traps.js';

export default defineExercise({
  title: 'Spark track: velocity as a Structured Streaming job, on sliding event-time windows with a watermark',
  kind: 'stream',
  file: 'detector.py',
  // A Spark query keeps its offsets in its checkpoint, not in a consumer group.
  progress: 'checkpoint',
  traps: [BURST_ACROSS_MINUTE, VELOCITY_REDELIVERY_NEAR_MISS, VELOCITY_SLOW_NEAR_MISS, REDELIVERY, OUT_OF_ORDER, LATE_BUT_ALLOWED],
  checks: [expectWellFormedAlerts(), ...expectDetects('velocity'), expectWatermark({ atLeastMs: 60_000, atMostMs: 120_000 })],
  // Spark starts a JVM and plans the query before the first batch.
  timeoutMs: 180_000,
});
