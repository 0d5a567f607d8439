-- 07 · gold.dim_date (reference solution, Trino's dialect)
WITH bounds AS (
  SELECT min(order_date) AS first_day, max(order_date) AS last_day FROM silver.orders
), days AS (
  -- sequence() includes its end, unlike DuckDB's range()
  SELECT date_day FROM bounds CROSS JOIN UNNEST(sequence(first_day, last_day, INTERVAL '1' DAY)) AS t(date_day)
)
SELECT
  date_day,
  CAST(year(date_day) AS integer) AS year,
  CAST(month(date_day) AS integer) AS month,
  CAST(day(date_day) AS integer) AS day,
  CAST(day_of_week(date_day) AS integer) AS day_of_week,
  day_of_week(date_day) >= 6 AS is_weekend,
  date_format(CAST(date_day AS timestamp), '%M') AS month_name
FROM days
