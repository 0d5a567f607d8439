-- 09 · gold.daily_revenue: the mart the dashboard reads
--
-- The finance dashboard wants one row per calendar day: how many orders, how much revenue, and
-- the average order value. Build it from gold.fact_order_lines (exercise 08) and the calendar
-- gold.dim_date (exercise 07).
--
-- The mess:
--   * the fact's grain is the ORDER LINE, not the order: an order of three lines is one order,
--     and its value is the sum of its lines;
--   * a day without a (non-cancelled) order still belongs on the dashboard: every day of
--     gold.dim_date is a row, with 0 orders and 0.00 revenue, not a missing row;
--   * the total must reconcile with the fact to the cent.
--
-- Columns: order_date DATE (every day of gold.dim_date), orders BIGINT (distinct orders that day,
-- 0 if none), revenue DECIMAL(14,2) (sum of line_amount, 0.00 if none), avg_order_value
-- DECIMAL(12,2) (round(revenue / orders, 2); NULL when there are no orders).
--
-- Build it: lab run month4 gold.daily_revenue     Check it: lab check month4 09     Stuck? lab hint month4 09

-- Starter: group the fact by day, one aggregate per column.
SELECT
  order_date,
  count(*) AS orders,
  sum(line_amount) AS revenue,
  avg(line_amount) AS avg_order_value
FROM gold.fact_order_lines
GROUP BY order_date
