import type { Trap } from '../../src/lab/define.js';

/** The export resends a line: the same order version twice in a day's file. */
export const RESENT_LINE: Trap = { name: 'a line the export sent twice', count: 'SELECT count(*) FROM (SELECT order_id, updated_at FROM landing_orders GROUP BY ALL HAVING count(*) > 1)' };
/** An order has a later version the same day (shipped, corrected, cancelled): only the newest counts. */
export const LATER_VERSION: Trap = { name: 'an order updated later the same day', count: 'SELECT count(*) FROM (SELECT order_id FROM landing_orders GROUP BY order_id HAVING count(DISTINCT updated_at) > 1)' };
/** An order placed, then cancelled: it counts in neither orders nor revenue. */
export const CANCELLED_LATER: Trap = { name: 'an order placed, then cancelled', count: "SELECT count(*) FROM landing_orders WHERE status = 'cancelled'" };
export const DAILY_REVENUE_TRAPS = [RESENT_LINE, LATER_VERSION, CANCELLED_LATER];
