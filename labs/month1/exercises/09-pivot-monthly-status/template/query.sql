-- 09 · Pivot: monthly orders per status
--
-- The operations dashboard wants one line per month with how many of that month's orders
-- are now placed, shipped, delivered, returned or cancelled — one column per status, the
-- shape a report or a chart reads directly.
--
-- Watch the mess: `orders` has one row per status change (and some rows exported twice).
-- Count each order ONCE, in the column of its CURRENT status (the version with the latest
-- `updated_at`), in the month it was ordered: `ordered_at`, in UTC (not `ordered_at_local`).
--
-- Columns: month      DATE, the first day of the month: date_trunc('month', ordered_at)::DATE
--          placed, shipped, delivered, returned, cancelled
--                     how many orders of that month have this current status (0, not NULL, when none)
-- Rows ordered by month (ORDER BY month).
-- Use count(*) FILTER (WHERE status = '…') for each column, or DuckDB's PIVOT.
--
-- Check it: lab check month1 09      Stuck? lab hint month1 09

SELECT date_trunc('month', ordered_at)::DATE AS month,
       status,
       count(*) AS orders
FROM orders
GROUP BY ALL
ORDER BY month, status
