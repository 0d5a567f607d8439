import type { Trap } from '../../src/lab/define.js';

/** The export lists a customer once per change it saw: an older version beside the newest. */
export const CUSTOMER_LISTED_TWICE: Trap = { name: 'a customer the export lists twice (an older version too)', count: 'SELECT count(*) FROM (SELECT customer_id FROM customers GROUP BY customer_id HAVING count(*) > 1)' };
/** A guest's order: its customer id is in no customer row, so its lines need the unknown member. */
export const GUEST_ORDER: Trap = { name: 'an order of a guest, whose customer id no customer row has', count: 'SELECT count(*) FROM orders o ANTI JOIN customers c USING (customer_id)' };
/** An order line of a product since deleted from the catalogue. */
export const DELETED_PRODUCT: Trap = { name: 'an order line of a product deleted from the catalogue', count: 'SELECT count(*) FROM order_lines l ANTI JOIN products p USING (product_id)' };
/** No discount is NULL, not 0: arithmetic with it gives NULL. */
export const NO_DISCOUNT: Trap = { name: 'a line without a discount (discount_cents NULL)', count: 'SELECT count(*) FROM order_lines WHERE discount_cents IS NULL' };
/** An order exported in two versions (placed, then its later status). */
export const ORDER_TWO_VERSIONS: Trap = { name: 'an order exported in two versions', count: 'SELECT count(*) FROM (SELECT order_id FROM orders GROUP BY order_id HAVING count(*) > 1)' };

/** The day the stores restated: every sale of it as they re-sent it. */
const RESTATED_DAY = "(SELECT DISTINCT (sold_at AT TIME ZONE 'UTC')::DATE FROM sales_restated WHERE sale_id IN (SELECT sale_id FROM sales))";
const OF_RESTATED_DAY = `(sold_at AT TIME ZONE 'UTC')::DATE IN ${RESTATED_DAY}`;
export const RESTATED_TRAPS: Trap[] = [
  { name: 'a sale of the restated day with a corrected amount', count: 'SELECT count(*) FROM sales s JOIN sales_restated r USING (sale_id) WHERE s.amount <> r.amount' },
  { name: 'a sale the stores took back (gone from the restated day)', count: `SELECT count(*) FROM sales s WHERE ${OF_RESTATED_DAY} AND sale_id NOT IN (SELECT sale_id FROM sales_restated)` },
  { name: 'a sale new in the restated day', count: 'SELECT count(*) FROM sales_restated ANTI JOIN sales USING (sale_id)' },
];
