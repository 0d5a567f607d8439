-- 08 · Percentiles of order value per country
--
-- Finance wants to know what a typical order is worth in each country, and what a big one
-- is: the median (p50), the 90th and the 99th percentile of order value. An average would
-- not do — a few very large orders pull it up, the median does not move.
--
-- Watch the mess: `orders` has one row per status change (and some rows twice), so count
-- each order once, by its CURRENT version (latest `updated_at`), and leave out orders whose
-- current status is 'cancelled'. `customers` has one row per version (and exact duplicates):
-- a join to it must match ONE row per customer, its current version. A customer's country
-- may be NULL: report those orders under the country 'unknown'.
--
-- Order value = the sum of the order's line values,
--   quantity * unit_price * (1 - coalesce(discount, 0))   (do not round it per order).
--
-- Columns: country      the customer's country ('unknown' when NULL)
--          order_count  how many current, non-cancelled orders its customers placed
--          p50, p90, p99  percentile_cont of order value at 0.5, 0.9, 0.99, round(…, 2)
-- One row per country, any row order.
-- Use percentile_cont(0.9) WITHIN GROUP (ORDER BY …) (DuckDB also spells it quantile_cont(x, 0.9)).
--
-- Check it: lab check month1 08      Stuck? lab hint month1 08

WITH order_values AS (
  SELECT order_id, sum(quantity * unit_price * (1 - coalesce(discount, 0))) AS order_value
  FROM order_items
  GROUP BY order_id
)
SELECT c.country,
       count(*) AS order_count,
       round(avg(v.order_value), 2) AS average_value
FROM orders o
JOIN customers c ON c.customer_id = o.customer_id
JOIN order_values v ON v.order_id = o.order_id
WHERE o.status <> 'cancelled'
GROUP BY c.country
