-- no calendar: a day without sales is missing, and 7 rows are not 7 days
WITH current_orders AS (
  SELECT order_id, status, ordered_at::DATE AS day  -- the session runs in UTC: the UTC day
  FROM orders
  QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1
),
daily AS (
  SELECT o.day,
         sum(oi.quantity * oi.unit_price * (1 - coalesce(oi.discount, 0))) AS revenue
  FROM current_orders o
  JOIN order_items oi USING (order_id)
  WHERE o.status <> 'cancelled'
  GROUP BY day
),
-- every day from the first to the last, so that 7 rows are always 7 days
calendar AS (
  SELECT unnest(generate_series(min(day), max(day), INTERVAL 1 DAY))::DATE AS day
  FROM daily
),
filled AS (
  SELECT d.day, coalesce(d.revenue, 0) AS revenue
  FROM daily d
)
SELECT day,
       round(revenue, 2) AS revenue,
       round(sum(revenue) OVER (ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 2) AS running_revenue,
       round(avg(revenue) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW), 2) AS moving_avg_7d
FROM filled
ORDER BY day
