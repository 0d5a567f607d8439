-- orders by ordered_at only: two orders at the same instant come in any order
WITH current_orders AS (
  SELECT order_id, customer_id, ordered_at, ordered_at::DATE AS order_date
  FROM orders
  QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1
)
SELECT customer_id, order_id, ordered_at,
       order_date - LAG(order_date) OVER w AS days_since_previous,
       LEAD(order_date) OVER w - order_date AS days_until_next
FROM current_orders
-- order_id breaks ties between two orders placed at the same instant
WINDOW w AS (PARTITION BY customer_id ORDER BY ordered_at)
