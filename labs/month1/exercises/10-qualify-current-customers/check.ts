import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'QUALIFY: the current version of each customer',
  kind: 'sql',
  file: 'query.sql',
  checks: [
    expectSqlUses(
      /\bqualify\b/i,
      'QUALIFY',
      'filter on the window function with QUALIFY row_number() OVER (PARTITION BY … ORDER BY …) = 1, right in the same SELECT: no subquery, no DISTINCT, no self-join on max(updated_at)',
    ),
    expectSameRows({ key: ['customer_id'] }),
  ],
});
