-- SELECT DISTINCT keeps every version of an order (they are distinct rows), and the ROW_NUMBER() goes unused
SELECT DISTINCT order_id, customer_id, status, ordered_at, updated_at
FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) AS rn FROM orders)
