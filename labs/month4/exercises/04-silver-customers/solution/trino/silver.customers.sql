-- 04 · silver.customers (reference solution, Trino's dialect)
WITH typed AS (
  SELECT
    CAST(customer_id AS bigint) AS customer_id,
    lower(trim(email)) AS email,
    full_name,
    coalesce(nullif(trim(country), ''), 'unknown') AS country,
    city,
    CAST(signup_date AS date) AS signup_date,
    segment,
    CAST(updated_at AS timestamp(6)) AS updated_at,
    dt,
    file
  FROM bronze.customers
), ranked AS (
  SELECT *, row_number() OVER (
    PARTITION BY customer_id, updated_at
    ORDER BY dt DESC, file DESC, email, full_name, country, city, signup_date, segment
  ) AS copy
  FROM typed
)
SELECT customer_id, email, full_name, country, city, signup_date, segment, updated_at
FROM ranked
WHERE copy = 1
