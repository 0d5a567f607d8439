import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';

/** An explicit frame (ROWS/RANGE/GROUPS BETWEEN …, or the short ROWS UNBOUNDED PRECEDING) on both windows. */
const frame = String.raw`\b(?:rows|range|groups)\s+(?:between|unbounded|current|\d+\s+preceding)\b`;

export default defineExercise({
  title: 'Running totals and moving averages with explicit frames',
  kind: 'sql',
  file: 'query.sql',
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
