import { defineExercise, expectIdempotent, expectNoRows, expectSameRows, expectScd2, expectUniqueKey } from '../../../../src/lab/checks.js';
import { CUSTOMER_VERSIONS } from '../../traps.js';

export default defineExercise({
  title: 'gold.dim_customer: a type-2 slowly changing dimension',
  kind: 'model',
  file: 'gold.dim_customer.sql',
  traps: [CUSTOMER_VERSIONS],
  checks: [
    expectUniqueKey(['customer_key']),
    expectUniqueKey(['customer_id', 'valid_from']),
    expectNoRows(
      'every version of silver.customers is kept',
      `SELECT customer_id, updated_at AS valid_from FROM silver.customers
       EXCEPT SELECT customer_id, valid_from FROM learner ORDER BY customer_id, valid_from`,
      'versions of silver.customers have no row in the dimension (type 2 keeps history: one row per version, valid_from = its updated_at, so an order placed before the change still joins to the email and segment the customer had then)',
    ),
    ...expectScd2({ key: 'customer_id', from: 'valid_from', to: 'valid_to', current: 'is_current' }),
    expectNoRows(
      'customer_key numbers the versions in order',
      `SELECT customer_key, customer_id, valid_from, expected_key FROM (
         SELECT *, row_number() OVER (ORDER BY customer_id, valid_from) AS expected_key FROM learner)
       WHERE customer_key IS DISTINCT FROM expected_key ORDER BY customer_id, valid_from`,
      'rows have a customer_key other than their place in (customer_id, valid_from) order (row_number() OVER (ORDER BY customer_id, valid_from), so the same data always gets the same keys)',
    ),
    expectSameRows({ key: ['customer_id', 'valid_from'] }),
    expectIdempotent(),
  ],
});
