/** Queries the month1 exercises' traps share: each counts where a case of the messy data occurs. */

/** Each order's current version: its latest status, when it was placed, by whom. */
export const CURRENT_ORDERS = `(SELECT order_id, arg_max(status, updated_at) AS status, min(ordered_at) AS ordered_at, min(customer_id) AS customer_id FROM orders GROUP BY order_id)`;

export const ORDER_WITH_VERSIONS = { name: 'an order with several versions (one row per status change)', count: `SELECT count(*) FROM (SELECT order_id FROM orders GROUP BY order_id HAVING count(DISTINCT updated_at) > 1)` };
export const ROW_EXPORTED_TWICE = { name: 'an order row exported twice, identical', count: `SELECT count(*) FROM (SELECT * FROM orders GROUP BY ALL HAVING count(*) > 1)` };
export const CANCELLED_AFTER_PLACED = {
  name: "an order cancelled later, whose older 'placed' row is still there",
  count: `SELECT count(*) FROM (SELECT order_id FROM orders GROUP BY order_id HAVING arg_max(status, updated_at) = 'cancelled' AND bool_or(status = 'placed'))`,
};
export const RETURNED_ORDER = { name: 'a returned order (it still counts)', count: `SELECT count(*) FROM ${CURRENT_ORDERS} WHERE status = 'returned'` };
export const RESENT_EVENT = { name: 'an event resent (the same event_id twice)', count: `SELECT count(*) FROM (SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1)` };
export const CUSTOMER_WITH_VERSIONS = { name: 'a customer with an older version still there', count: `SELECT count(*) FROM (SELECT customer_id FROM customers GROUP BY customer_id HAVING count(DISTINCT updated_at) > 1)` };
export const CUSTOMER_EXPORTED_TWICE = { name: 'a current customer row exported twice (a tie on updated_at)', count: `SELECT count(*) FROM (SELECT * FROM customers GROUP BY ALL HAVING count(*) > 1)` };
