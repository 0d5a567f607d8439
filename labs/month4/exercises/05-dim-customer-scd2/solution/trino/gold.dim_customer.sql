-- 05 · gold.dim_customer (reference solution, Trino's dialect)
WITH versions AS (
  SELECT
    customer_id, email, country, segment,
    updated_at AS valid_from,
    lead(updated_at) OVER (PARTITION BY customer_id ORDER BY updated_at) AS valid_to
  FROM silver.customers
)
SELECT
  row_number() OVER (ORDER BY customer_id, valid_from) AS customer_key,
  customer_id, email, country, segment, valid_from, valid_to,
  valid_to IS NULL AS is_current
FROM versions
