/** Queries the month4 exercises' traps share, over the bronze drops: each counts where a case of the mess occurs. */

/** The order lines of bronze.orders that silver keeps (exercise 01's rule), typed. */
export const VALID_ORDER_LINES = `(SELECT try_cast(line->>'order_id' AS BIGINT) AS order_id, try_cast(coalesce(line->>'customer_id', line->>'customer') AS BIGINT) AS customer_id,
    line->>'status' AS status, try_cast(line->>'ordered_at' AS TIMESTAMPTZ) AS ordered_at, try_cast(line->>'updated_at' AS TIMESTAMPTZ) AS updated_at, line, dt
  FROM bronze.orders WHERE CASE WHEN json_valid(line) THEN try_cast(line->>'order_id' AS BIGINT) IS NOT NULL
    AND try_cast(coalesce(line->>'customer_id', line->>'customer') AS BIGINT) IS NOT NULL
    AND try_cast(line->>'ordered_at' AS TIMESTAMPTZ) IS NOT NULL AND try_cast(line->>'updated_at' AS TIMESTAMPTZ) IS NOT NULL ELSE false END)`;

/** Each valid order's current version. */
export const CURRENT_ORDERS = `(SELECT order_id, arg_max(status, updated_at) AS status, min(ordered_at) AS ordered_at, min(customer_id) AS customer_id FROM ${VALID_ORDER_LINES} GROUP BY order_id)`;

export const ORDER_LINE_TWICE = { name: 'an order line exported twice', count: `SELECT count(*) FROM (SELECT line FROM bronze.orders GROUP BY line HAVING count(*) > 1)` };
export const LATE_UPDATE = { name: "an order's update landing in a later day's drop", count: `SELECT count(*) FROM (SELECT order_id FROM ${VALID_ORDER_LINES} GROUP BY order_id HAVING count(DISTINCT dt) > 1)` };
export const BOTH_SHAPES = { name: "lines in both shapes (customer_id, and from 2024-07-01 customer + channel)", count: `SELECT least(count(*) FILTER (WHERE line->>'customer_id' IS NOT NULL), count(*) FILTER (WHERE line->>'customer' IS NOT NULL)) FROM bronze.orders WHERE json_valid(line)` };
export const UNPARSEABLE_ORDER_LINE = { name: 'an order line that does not parse', count: `SELECT count(*) FROM bronze.orders WHERE NOT json_valid(line)` };
export const WRONG_TYPE_ORDER_LINE = {
  name: 'an order line that parses with a value of the wrong type',
  count: `SELECT count(*) FROM bronze.orders WHERE json_valid(line) AND (try_cast(line->>'order_id' AS BIGINT) IS NULL OR try_cast(line->>'ordered_at' AS TIMESTAMPTZ) IS NULL)`,
};
export const NEWEST_LINE_BROKEN = {
  name: "an order whose newest line is broken (its older version is the one kept)",
  count: `WITH newest AS (SELECT try_cast(line->>'order_id' AS BIGINT) AS order_id, max(try_cast(line->>'updated_at' AS TIMESTAMPTZ)) AS updated_at FROM bronze.orders WHERE json_valid(line) GROUP BY 1)
    SELECT count(*) FROM newest n WHERE n.updated_at > (SELECT max(v.updated_at) FROM ${VALID_ORDER_LINES} v WHERE v.order_id = n.order_id)`,
};
export const CANCELLED_ORDER = { name: 'an order whose current status is cancelled', count: `SELECT count(*) FROM ${CURRENT_ORDERS} WHERE status = 'cancelled'` };
export const CUSTOMER_VERSIONS = { name: 'a customer with two versions', count: `SELECT count(*) FROM (SELECT customer_id FROM bronze.customers GROUP BY customer_id HAVING count(DISTINCT updated_at) > 1)` };
export const DAY_WITHOUT_ORDERS = {
  name: 'a day without orders between the first and the last',
  count: `WITH days AS (SELECT DISTINCT (ordered_at AT TIME ZONE 'UTC')::DATE AS day FROM ${CURRENT_ORDERS}), span AS (SELECT min(day) AS a, max(day) AS b FROM days)
    SELECT count(*) FROM span, range(a, b + 1, INTERVAL 1 DAY) t(d) WHERE d::DATE NOT IN (SELECT day FROM days)`,
};
