-- 08 · gold.fact_order_lines (reference solution, Trino's dialect)
-- @partition_by order_date
WITH live_orders AS (
  SELECT order_id, customer_id, status, order_date,
         -- the UTC wall clock, comparable with the dimension's (zone-less) validity
         CAST(ordered_at AT TIME ZONE 'UTC' AS timestamp(6)) AS ordered_utc
  FROM silver.orders
  WHERE status <> 'cancelled'
), versions AS (
  -- Trino has no infinite timestamps: the first version starts at the year 1, the current one ends in 9999
  SELECT customer_key, customer_id,
         CASE WHEN row_number() OVER (PARTITION BY customer_id ORDER BY valid_from) = 1
              THEN TIMESTAMP '0001-01-01 00:00:00' ELSE valid_from END AS period_from,
         coalesce(valid_to, TIMESTAMP '9999-12-31 23:59:59') AS period_to
  FROM gold.dim_customer
)
SELECT l.order_id, l.line_no, o.order_date, c.customer_key, l.product_id, l.quantity, l.line_amount, o.status
FROM silver.order_lines l
JOIN live_orders o ON o.order_id = l.order_id
LEFT JOIN versions c
  ON c.customer_id = o.customer_id
 AND o.ordered_utc >= c.period_from
 AND o.ordered_utc < c.period_to
