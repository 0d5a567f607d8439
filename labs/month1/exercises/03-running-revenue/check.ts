import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';

/** An explicit frame (ROWS/RANGE/GROUPS BETWEEN …, or the short ROWS UNBOUNDED PRECEDING) on both windows. */
const frame = String.raw`\b(?:rows|range|groups)\s+(?:between|unbounded|current|\d+\s+preceding)\b`;
import { CANCELLED_AFTER_PLACED, CURRENT_ORDERS } from '../../traps.js';

export default defineExercise({
  title: 'Running totals and moving averages with explicit frames',
  kind: 'sql',
  file: 'query.sql',
  traps: [
    {
      name: 'a day without any order',
      count: `WITH days AS (SELECT DISTINCT ordered_at::DATE AS day FROM orders), span AS (SELECT min(day) AS a, max(day) AS b FROM days)
        SELECT count(*) FROM span, range(a, b + 1, INTERVAL 1 DAY) t(d) WHERE d::DATE NOT IN (SELECT day FROM days)`,
    },
    {
      name: 'a day whose orders were all cancelled',
      count: `SELECT count(*) FROM (SELECT ordered_at::DATE AS day FROM ${CURRENT_ORDERS} GROUP BY day HAVING bool_and(status = 'cancelled'))`,
    },
    { name: 'an order whose UTC day is not its local day', count: `SELECT count(*) FROM orders WHERE ordered_at::DATE <> left(ordered_at_local, 10)::DATE` },
    CANCELLED_AFTER_PLACED,
  ],
  checks: [
    expectSqlUses(
      new RegExp(`${frame}[\\s\\S]*${frame}`, 'i'),
      'an explicit window frame on both windows',
      'write the frame of each window: SUM(…) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) and ' +
        'AVG(…) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW); the default frame (RANGE … CURRENT ROW) silently includes every tie of the current row',
    ),
    // Windows over rounded or unrounded daily revenue may differ by a cent; 1e-5 allows that.
    expectSameRows({ key: ['day'], orderBy: ['day'], tolerance: 1e-5 }),
  ],
});
