import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectGrain, expectRefsAndSources } from '../../../../src/lab/dbt-checks.js';
import { GUEST_ORDER } from '../../traps.js';

export default defineExercise({
  title: 'dbt: a conformed customer dimension with its unknown member',
  kind: 'dbt',
  file: 'dim_customers.sql',
  path: 'models/marts/dim_customers.sql',
  result: 'dim_customers',
  traps: [GUEST_ORDER],
  checks: [expectRefsAndSources(), expectGrain('dim_customers', ['customer_key']), expectSameRows({ key: ['customer_key'] })],
});
