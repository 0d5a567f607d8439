import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectGrain, expectRefsAndSources } from '../../../../src/lab/dbt-checks.js';
import { CUSTOMER_LISTED_TWICE } from '../../traps.js';

export default defineExercise({
  title: 'dbt staging: one clean row per customer',
  kind: 'dbt',
  file: 'stg_customers.sql',
  path: 'models/staging/stg_customers.sql',
  result: 'stg_customers',
  traps: [
    CUSTOMER_LISTED_TWICE,
    { name: 'an email in capitals or with spaces around it', count: 'SELECT count(*) FROM customers WHERE email <> lower(trim(email))' },
    { name: 'a country code in lower case', count: 'SELECT count(*) FROM customers WHERE country <> upper(country)' },
  ],
  checks: [expectRefsAndSources(), expectGrain('stg_customers', ['customer_id']), expectSameRows({ key: ['customer_id'] })],
});
