-- sum(CASE … THEN 1 END) is NULL, not 0, in a month without that status
WITH current_orders AS (
  SELECT order_id, status, ordered_at
  FROM orders
  QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1
)
SELECT date_trunc('month', ordered_at)::DATE AS month,
       count(*) FILTER (WHERE status = 'placed')    AS placed,
       count(*) FILTER (WHERE status = 'shipped')   AS shipped,
       count(*) FILTER (WHERE status = 'delivered') AS delivered,
       sum(CASE WHEN status = 'returned' THEN 1 END)  AS returned,
       count(*) FILTER (WHERE status = 'cancelled') AS cancelled
FROM current_orders
GROUP BY month
ORDER BY month
