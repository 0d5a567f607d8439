import { defineExercise, expectSameRows, expectSqlUses, expectUniqueKey } from '../../../../src/lab/checks.js';
import { CUSTOMER_EXPORTED_TWICE, CUSTOMER_WITH_VERSIONS } from '../../traps.js';

export default defineExercise({
  title: 'QUALIFY: the current version of each customer',
  kind: 'sql',
  file: 'query.sql',
  traps: [CUSTOMER_WITH_VERSIONS, CUSTOMER_EXPORTED_TWICE],
  checks: [
    expectSqlUses(
      /\bqualify\b/i,
      'QUALIFY',
      'filter on the window function with QUALIFY row_number() OVER (PARTITION BY … ORDER BY …) = 1, right in the same SELECT: no subquery, no DISTINCT, no self-join on max(updated_at)',
    ),
    expectUniqueKey(['customer_id']),
    expectSameRows({ key: ['customer_id'] }),
  ],
});
