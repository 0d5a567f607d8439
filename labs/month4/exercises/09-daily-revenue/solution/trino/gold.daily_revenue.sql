-- 09 · gold.daily_revenue (reference solution, Trino's dialect)
WITH per_day AS (
  SELECT order_date, count(DISTINCT order_id) AS orders, sum(line_amount) AS revenue
  FROM gold.fact_order_lines
  GROUP BY order_date
)
SELECT d.date_day AS order_date,
       CAST(coalesce(p.orders, 0) AS bigint) AS orders,
       CAST(coalesce(p.revenue, 0) AS decimal(14, 2)) AS revenue,
       -- through a DOUBLE, as DuckDB divides a DECIMAL by an integer, then one rounding to the cent
       CAST(round(CAST(p.revenue AS double) / p.orders, 2) AS decimal(12, 2)) AS avg_order_value
FROM gold.dim_date d
LEFT JOIN per_day p ON p.order_date = d.date_day
