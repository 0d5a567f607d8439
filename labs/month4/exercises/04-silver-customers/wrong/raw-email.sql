-- keeps emails as typed: capitals and spaces make one address look like two
WITH typed AS (
  SELECT
    customer_id::BIGINT AS customer_id,
    email,
    full_name,
    -- an empty CSV field reads as NULL; '' and blanks count as missing too
    coalesce(nullif(trim(country), ''), 'unknown') AS country,
    city,
    signup_date::DATE AS signup_date,
    segment,
    updated_at::TIMESTAMP AS updated_at,
    dt,
    file
  FROM bronze.customers
)
SELECT customer_id, email, full_name, country, city, signup_date, segment, updated_at
FROM typed
-- rows exported twice are identical: keep one per version (the latest drop first, then every
-- column, so the choice is deterministic even if two copies ever differed)
QUALIFY row_number() OVER (
  PARTITION BY customer_id, updated_at
  ORDER BY dt DESC, file DESC, email, full_name, country, city, signup_date, segment
) = 1
