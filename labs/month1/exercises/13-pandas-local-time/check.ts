import { defineExercise, expectNoRowLoops, expectSameRows } from '../../../../src/lab/checks.js';
import { CANCELLED_AFTER_PLACED } from '../../traps.js';

export default defineExercise({
  title: 'pandas: mixed time zones',
  kind: 'python',
  file: 'solution.py',
  traps: [
    { name: 'a local hour nobody ordered in (0 orders, still a row)', count: `SELECT 24 - count(DISTINCT substr(ordered_at_local, 12, 2)) FROM orders` },
    { name: 'an order whose local hour is not its UTC hour', count: `SELECT count(*) FROM orders WHERE substr(ordered_at_local, 12, 2)::INTEGER <> hour(ordered_at)` },
    CANCELLED_AFTER_PLACED,
  ],
  library: 'pandas',
  checks: [expectNoRowLoops(), expectSameRows({ key: ['hour'], orderBy: ['hour'] })],
});
