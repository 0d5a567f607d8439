import { defineExercise, expectSameRows } from '../../../../src/lab/checks.js';
import { expectGrain, expectKeysFound, expectRefsAndSources } from '../../../../src/lab/dbt-checks.js';
import { DELETED_PRODUCT, GUEST_ORDER, NO_DISCOUNT, ORDER_TWO_VERSIONS } from '../../traps.js';

export default defineExercise({
  title: 'dbt: the fact table at its grain, one row per order line',
  kind: 'dbt',
  file: 'fct_order_lines.sql',
  path: 'models/marts/fct_order_lines.sql',
  result: 'fct_order_lines',
  traps: [GUEST_ORDER, DELETED_PRODUCT, NO_DISCOUNT, ORDER_TWO_VERSIONS],
  checks: [
    expectRefsAndSources(),
    expectGrain('fct_order_lines', ['order_id', 'line_no']),
    expectKeysFound({ from: 'fct_order_lines', column: 'customer_key', to: 'dim_customers', key: 'customer_key' }),
    expectKeysFound({ from: 'fct_order_lines', column: 'product_key', to: 'dim_products', key: 'product_key' }),
    expectSameRows({ key: ['order_id', 'line_no'] }),
  ],
});
