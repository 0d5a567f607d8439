import { defineExercise } from '../../../../src/lab/checks.js';
import { expectRefsAndSources, expectSnapshotHistory } from '../../../../src/lab/dbt-checks.js';

const LATEST = (table: string) => `(SELECT customer_id, max(updated_at) AS updated_at FROM ${table} GROUP BY customer_id)`;

export default defineExercise({
  title: 'dbt snapshot: a type-2 history of customers across two loads',
  kind: 'dbt',
  file: 'customers_snapshot.sql',
  path: 'snapshots/customers_snapshot.sql',
  result: 'customers_snapshot',
  // Built on the first load, then again once the second load has landed.
  loads: [{}, { customers: 'customers_second_load' }],
  traps: [
    { name: 'a customer who moved or changed segment in the second load', count: `SELECT count(*) FROM ${LATEST('customers_second_load')} s JOIN ${LATEST('customers')} f USING (customer_id) WHERE s.updated_at > f.updated_at` },
    { name: 'a customer who closed their account (gone from the second load)', count: 'SELECT count(*) FROM (SELECT DISTINCT customer_id FROM customers) f ANTI JOIN customers_second_load s USING (customer_id)' },
    { name: 'a customer new in the second load', count: 'SELECT count(*) FROM (SELECT DISTINCT customer_id FROM customers_second_load) s ANTI JOIN customers f USING (customer_id)' },
    { name: 'the first load lists a customer twice', count: 'SELECT count(*) FROM (SELECT customer_id FROM customers GROUP BY customer_id HAVING count(*) > 1)' },
  ],
  checks: [expectRefsAndSources(), ...expectSnapshotHistory({ key: 'customer_id', tracked: ['country', 'segment'] })],
});
