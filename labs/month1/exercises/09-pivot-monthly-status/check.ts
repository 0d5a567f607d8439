import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';
import { CURRENT_ORDERS, ORDER_WITH_VERSIONS, ROW_EXPORTED_TWICE } from '../../traps.js';

export default defineExercise({
  title: 'Pivot: monthly orders per status',
  kind: 'sql',
  file: 'query.sql',
  traps: [
    {
      name: 'a month in which no order ended with one of the statuses (0, not NULL)',
      count: `WITH o AS (SELECT date_trunc('month', ordered_at) AS month, status FROM ${CURRENT_ORDERS})
        SELECT count(*) FROM (SELECT DISTINCT month FROM o) m, (SELECT unnest(['placed', 'shipped', 'delivered', 'returned', 'cancelled']) AS status) s
        WHERE NOT EXISTS (SELECT 1 FROM o WHERE o.month = m.month AND o.status = s.status)`,
    },
    ORDER_WITH_VERSIONS,
    ROW_EXPORTED_TWICE,
  ],
  checks: [
    expectSqlUses(
      /\bpivot\b|filter\s*\(\s*where/i,
      'a pivot (FILTER or PIVOT)',
      "turn each status into its own column with count(*) FILTER (WHERE status = 'shipped') AS shipped, … (or DuckDB's PIVOT … ON status USING count(*)): one row per month, one column per status",
    ),
    expectSameRows({ key: ['month'], orderBy: ['month'] }),
  ],
});
