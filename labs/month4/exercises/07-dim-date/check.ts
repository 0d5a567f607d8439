import { defineExercise, expectIdempotent, expectNoRows, expectSameRows, expectSqlUses, expectUniqueKey } from '../../../../src/lab/checks.js';
import { DAY_WITHOUT_ORDERS } from '../../traps.js';

export default defineExercise({
  title: 'gold.dim_date: a calendar with no gaps',
  kind: 'model',
  file: 'gold.dim_date.sql',
  traps: [DAY_WITHOUT_ORDERS],
  checks: [
    expectSqlUses(
      /\b(range|generate_series|sequence)\s*\(|\bwith\s+recursive\b/i,
      'a generated series of days',
      'a calendar is generated (range(first, last + 1, INTERVAL 1 DAY); on Trino, sequence(first, last, INTERVAL \'1\' DAY)), not collected from the days that had orders: even if every day so far had some, the first quiet day would leave a hole in every daily report',
    ),
    expectUniqueKey(['date_day']),
    expectNoRows(
      'every day from the first to the last order, no gaps',
      `WITH bounds AS (SELECT min(order_date) AS first_day, max(order_date) AS last_day FROM silver.orders)
       SELECT d::DATE AS date_day, 'missing' AS problem FROM bounds, range(first_day, last_day + 1, INTERVAL 1 DAY) t(d)
       WHERE d::DATE NOT IN (SELECT date_day FROM learner WHERE date_day IS NOT NULL)
       UNION ALL
       SELECT date_day, 'outside ' || first_day || ' … ' || last_day FROM learner, bounds
       WHERE date_day IS NULL OR date_day < first_day OR date_day > last_day
       ORDER BY date_day NULLS FIRST`,
      'days are missing between the first and the last order_date of silver.orders, or lie outside that span (a calendar has every day, also those without orders, or a daily report silently skips them)',
    ),
    expectNoRows(
      'day_of_week is ISO (1 = Monday … 7 = Sunday)',
      `SELECT date_day, strftime(date_day, '%A') AS weekday, day_of_week, is_weekend FROM learner
       WHERE day_of_week IS DISTINCT FROM isodow(date_day) OR is_weekend IS DISTINCT FROM (isodow(date_day) >= 6)
       ORDER BY date_day`,
      "days have the wrong day_of_week or is_weekend (ISO numbering: Monday = 1 … Sunday = 7, so isodow(), not dayofweek(), which gives Sunday = 0; the weekend is day 6 and 7)",
    ),
    expectSameRows({ key: ['date_day'] }),
    expectIdempotent(),
  ],
});
