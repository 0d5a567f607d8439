import { defineExercise } from '../../../../src/lab/checks.js';
import { expectDocumented, expectPlantsCaught, expectTestsPass } from '../../../../src/lab/dbt-checks.js';
import type { DbtPlant } from '../../../../src/lab/define.js';

/** What the grader breaks in the built marts before it runs your tests: each must fail one. */
const PLANTS: DbtPlant[] = [
  { name: 'an order line listed twice', model: 'fct_order_lines', column: 'order_id', sql: 'INSERT INTO w.fct_order_lines SELECT * FROM w.fct_order_lines ORDER BY order_id, line_no LIMIT 1' },
  { name: 'a line pointing at a customer the dimension lacks', model: 'fct_order_lines', column: 'customer_key', sql: 'UPDATE w.fct_order_lines SET customer_key = 987654 WHERE order_id = (SELECT max(order_id) FROM w.fct_order_lines)' },
  { name: 'a line pointing at a product the dimension lacks', model: 'fct_order_lines', column: 'product_key', sql: 'UPDATE w.fct_order_lines SET product_key = 987654 WHERE order_id = (SELECT min(order_id) FROM w.fct_order_lines)' },
  { name: "a status the shop has no word for ('lost')", model: 'fct_order_lines', column: 'status', sql: "UPDATE w.fct_order_lines SET status = 'lost' WHERE order_id = (SELECT min(order_id) FROM w.fct_order_lines WHERE status = 'shipped')" },
  { name: 'a customer key twice in the dimension', model: 'dim_customers', column: 'customer_key', sql: 'INSERT INTO w.dim_customers SELECT * FROM w.dim_customers WHERE customer_key = (SELECT max(customer_key) FROM w.dim_customers)' },
  { name: 'a product without a key', model: 'dim_products', column: 'product_key', sql: 'UPDATE w.dim_products SET product_key = NULL WHERE product_key = (SELECT max(product_key) FROM w.dim_products)' },
];

export default defineExercise({
  title: 'dbt: tests as contracts, and the docs that say what a row is',
  kind: 'dbt',
  file: '_marts.yml',
  path: 'models/marts/_marts.yml',
  result: 'fct_order_lines',
  plants: PLANTS,
  traps: [
    { name: "an order returned (a status the accepted values must list)", count: "SELECT count(*) FROM orders WHERE lower(trim(status)) = 'returned'" },
    { name: 'a guest line, whose customer key is the unknown member', count: 'SELECT count(*) FROM orders o ANTI JOIN customers c USING (customer_id)' },
  ],
  checks: [expectTestsPass(), expectPlantsCaught(PLANTS), expectDocumented(['dim_customers', 'dim_products', 'fct_order_lines'])],
});
