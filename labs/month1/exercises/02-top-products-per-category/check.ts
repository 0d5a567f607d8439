import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'Top products per department with DENSE_RANK',
  kind: 'sql',
  file: 'query.sql',
  checks: [
    expectSqlUses(
      /\bdense_rank\s*\(/i,
      'DENSE_RANK()',
      'rank the products of each department with DENSE_RANK() OVER (PARTITION BY department ORDER BY revenue DESC) and keep ranks 1 to 3; ' +
        'ORDER BY … LIMIT 3 gives 3 rows for the whole shop, ROW_NUMBER() drops one of two tied products and RANK() skips a rank after a tie',
    ),
    expectSameRows({ key: ['department', 'product_id'] }),
  ],
});
