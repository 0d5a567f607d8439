-- groups the fact by day: a day without orders has no row
WITH per_day AS (
  -- the fact's grain is the order line: an order with three lines is still one order
  SELECT order_date, count(DISTINCT order_id) AS orders, sum(line_amount) AS revenue
  FROM gold.fact_order_lines
  GROUP BY order_date
)
-- every day of the calendar, sold or not: a day without orders is a row of zeros, not a gap
SELECT d.date_day AS order_date,
       coalesce(p.orders, 0)::BIGINT AS orders,
       coalesce(p.revenue, 0)::DECIMAL(14, 2) AS revenue,
       round(p.revenue / p.orders, 2)::DECIMAL(12, 2) AS avg_order_value
FROM per_day p
JOIN gold.dim_date d ON p.order_date = d.date_day
