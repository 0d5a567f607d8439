-- reads customer_id only: from 2024-07-01 the field is called customer
-- @partition_by order_date
WITH parsed AS (
  SELECT
    try_cast(line->>'order_id' AS BIGINT) AS order_id,
    -- the 2024-07-01 schema change renamed the field: both shapes conform to one column
    try_cast(line->>'customer_id' AS BIGINT) AS customer_id,
    line->>'status' AS status,
    line->>'channel' AS channel,
    try_cast(line->>'ordered_at' AS TIMESTAMPTZ) AS ordered_at,
    try_cast(line->>'updated_at' AS TIMESTAMPTZ) AS updated_at
  FROM bronze.orders
  WHERE json_valid(line)
), valid AS (
  SELECT * FROM parsed
  WHERE order_id IS NOT NULL AND customer_id IS NOT NULL AND ordered_at IS NOT NULL AND updated_at IS NOT NULL
)
SELECT order_id, customer_id, status, channel, ordered_at, updated_at,
       (ordered_at AT TIME ZONE 'UTC')::DATE AS order_date
FROM valid
QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status) = 1
