import { defineExercise, expectIdempotent, expectNoRows, expectSameRows, expectUniqueKey } from '../../../../src/lab/checks.js';
import { CUSTOMER_VERSIONS } from '../../traps.js';

export default defineExercise({
  title: 'silver.customers: typed, deduplicated, every version kept',
  kind: 'model',
  file: 'silver.customers.sql',
  traps: [
    { name: 'a customer row exported twice', count: `SELECT count(*) FROM (SELECT * EXCLUDE (file) FROM bronze.customers GROUP BY ALL HAVING count(*) > 1)` },
    { name: 'an empty country', count: `SELECT count(*) FROM bronze.customers WHERE nullif(trim(country), '') IS NULL` },
    { name: 'an email in capitals', count: `SELECT count(*) FROM bronze.customers WHERE email <> lower(email)` },
    { name: 'an email padded with spaces', count: `SELECT count(*) FROM bronze.customers WHERE email <> trim(email)` },
    CUSTOMER_VERSIONS,
  ],
  checks: [
    expectUniqueKey(['customer_id', 'updated_at']),
    expectNoRows(
      'no customer without a country',
      `SELECT customer_id, updated_at, country FROM learner WHERE country IS NULL OR trim(country) = '' ORDER BY customer_id, updated_at`,
      "rows have no country (write 'unknown' when the CSV field is empty: it reads as NULL, and a GROUP BY country downstream would lump them into a NULL group nobody filters on)",
    ),
    expectNoRows(
      'every version is kept',
      `SELECT customer_id::BIGINT AS customer_id, updated_at::TIMESTAMP AS updated_at FROM bronze.customers
       EXCEPT SELECT customer_id, updated_at FROM learner ORDER BY customer_id, updated_at`,
      'versions of bronze.customers are missing (silver keeps every version, one row per (customer_id, updated_at): the type-2 dimension of exercise 05 is built from that history)',
    ),
    expectSameRows({ key: ['customer_id', 'updated_at'] }),
    expectIdempotent(),
  ],
});
