import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';
import { CANCELLED_AFTER_PLACED, CUSTOMER_EXPORTED_TWICE, CUSTOMER_WITH_VERSIONS } from '../../traps.js';

export default defineExercise({
  title: 'Percentiles of order value per country',
  kind: 'sql',
  file: 'query.sql',
  traps: [
    { name: 'a customer without a country', count: `SELECT count(*) FROM customers WHERE country IS NULL` },
    CUSTOMER_WITH_VERSIONS,
    CUSTOMER_EXPORTED_TWICE,
    CANCELLED_AFTER_PLACED,
  ],
  checks: [
    expectSqlUses(
      /\b(percentile_cont|quantile_cont|percentile_disc)\s*\(/i,
      'percentile_cont()',
      'compute each percentile with percentile_cont(0.9) WITHIN GROUP (ORDER BY order_value) (or quantile_cont(order_value, 0.9)): an average, min or max says nothing about the shape of the distribution',
    ),
    // Percentiles are rounded to cents: 1e-4 absorbs a cent of rounding difference between
    // DECIMAL and DOUBLE interpolation (values are in the hundreds), and counts stay exact at small scale.
    expectSameRows({ key: ['country'], tolerance: 1e-4 }),
  ],
});
