-- 03 · Running totals and moving averages with explicit frames
--
-- Finance wants a daily revenue chart for the year: each day's revenue, the revenue so far
-- (a running total), and a 7-day moving average to smooth out the noise.
--
-- Revenue counts only CURRENT orders (the latest version of each order, as in 01) whose
-- current status is not 'cancelled'; a line is worth quantity * unit_price * (1 - coalesce(discount, 0)).
-- A day is the UTC calendar day of `ordered_at` (not of `ordered_at_local`).
-- Watch out for days when nothing was sold (no orders, or only cancelled ones): they still
-- belong on the chart, with revenue 0, and a 7-row window over a table with missing days
-- is not 7 days.
--
-- Columns: day              DATE, one row for every day from the first to the last day with revenue
--          revenue          that day's revenue, rounded to 2 decimals (0 on days without sales)
--          running_revenue  total revenue from the first day up to and including this day, 2 decimals
--          moving_avg_7d    average daily revenue over this day and the 6 days before it
--                           (fewer on the first 6 days: the days so far), 2 decimals
-- Rows ordered by day.
-- Use window frames, written out: ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW and
-- ROWS BETWEEN 6 PRECEDING AND CURRENT ROW.
--
-- Check it: lab check month1 03      Stuck? lab hint month1 03

SELECT o.ordered_at::DATE AS day,
       round(sum(oi.quantity * oi.unit_price * (1 - coalesce(oi.discount, 0))), 2) AS revenue,
       NULL::DECIMAL(38, 2) AS running_revenue,
       NULL::DOUBLE AS moving_avg_7d
FROM orders o
JOIN order_items oi USING (order_id)
GROUP BY day
ORDER BY day
