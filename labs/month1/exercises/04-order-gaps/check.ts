import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'LAG/LEAD: gaps between a customer\'s orders',
  kind: 'sql',
  file: 'query.sql',
  checks: [
    expectSqlUses(
      /\blag\s*\([\s\S]*\blead\s*\(|\blead\s*\([\s\S]*\blag\s*\(/i,
      'LAG() and LEAD()',
      'read the previous order with LAG(…) OVER (PARTITION BY customer_id ORDER BY ordered_at, order_id) and the next one with LEAD(…) over the same window; ' +
        'a self-join on "the latest earlier order" does the same work once per pair of orders',
    ),
    expectSameRows({ key: ['order_id'] }),
  ],
});
