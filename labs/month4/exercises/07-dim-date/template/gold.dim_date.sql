-- 07 · gold.dim_date: a calendar with no gaps
--
-- Every daily report needs a row for every day, also the days nobody ordered: a chart that
-- skips a quiet Sunday hides it, and "revenue by weekday" needs the weekday of every date. Build
-- the date dimension: one row per day from the first to the last order_date of silver.orders
-- (exercise 01), both included, with the calendar attributes spelled out.
--
-- The mess:
--   * the days come from the data: no hard-coded year, so next year's load extends the calendar;
--   * a day without orders is still a day (SELECT DISTINCT order_date would leave it out);
--   * weekday numbering differs between engines: here it is ISO, Monday = 1 … Sunday = 7.
--
-- Columns: date_day DATE, year INTEGER, month INTEGER, day INTEGER,
-- day_of_week INTEGER (ISO: 1 = Monday … 7 = Sunday), is_weekend BOOLEAN (Saturday, Sunday),
-- month_name VARCHAR ('January' … 'December').
--
-- Build it: lab run month4 gold.dim_date     Check it: lab check month4 07     Stuck? lab hint month4 07

-- Starter: the days that had orders, with the first weekday function that comes to mind.
SELECT
  order_date AS date_day,
  year(order_date)::INTEGER AS year,
  month(order_date)::INTEGER AS month,
  day(order_date)::INTEGER AS day,
  dayofweek(order_date)::INTEGER AS day_of_week,
  dayofweek(order_date) IN (0, 6) AS is_weekend,
  monthname(order_date) AS month_name
FROM (SELECT DISTINCT order_date FROM silver.orders)
