import { defineExercise } from '../../../../src/lab/checks.js';
import { expectPlantsCaught, expectTestsPass } from '../../../../src/lab/dbt-checks.js';
import type { DbtPlant } from '../../../../src/lab/define.js';
import { NO_DISCOUNT } from '../../traps.js';

/** The marts' properties apply non_negative to fct_order_lines' amount_cents and discount_cents. */
const PLANTS: DbtPlant[] = [
  { name: 'a negative discount', model: 'fct_order_lines', column: 'discount_cents', sql: 'UPDATE w.fct_order_lines SET discount_cents = -100 WHERE order_id = (SELECT min(order_id) FROM w.fct_order_lines)' },
  { name: 'a negative amount (a refund booked as a sale)', model: 'fct_order_lines', column: 'amount_cents', sql: 'UPDATE w.fct_order_lines SET amount_cents = -amount_cents WHERE order_id = (SELECT max(order_id) FROM w.fct_order_lines)' },
];

export default defineExercise({
  title: 'dbt: a generic test of your own, non_negative',
  kind: 'dbt',
  file: 'non_negative.sql',
  path: 'tests/generic/non_negative.sql',
  result: 'fct_order_lines',
  plants: PLANTS,
  traps: [NO_DISCOUNT, { name: 'a discount of zero', count: 'SELECT count(*) FROM order_lines WHERE discount_cents = 0' }],
  checks: [expectTestsPass(), expectPlantsCaught(PLANTS, { test: 'non_negative' })],
});
