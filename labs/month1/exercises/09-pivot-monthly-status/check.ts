import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'Pivot: monthly orders per status',
  kind: 'sql',
  file: 'query.sql',
  checks: [
    expectSqlUses(
      /\bpivot\b|filter\s*\(\s*where/i,
      'a pivot (FILTER or PIVOT)',
      "turn each status into its own column with count(*) FILTER (WHERE status = 'shipped') AS shipped, … (or DuckDB's PIVOT … ON status USING count(*)): one row per month, one column per status",
    ),
    expectSameRows({ key: ['month'], orderBy: ['month'] }),
  ],
});
