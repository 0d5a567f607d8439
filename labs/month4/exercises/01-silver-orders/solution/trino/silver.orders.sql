-- 01 · silver.orders (reference solution, Trino's dialect)
-- @partition_by order_date
WITH parsed AS (
  SELECT
    try_cast(json_extract_scalar(line, '$.order_id') AS bigint) AS order_id,
    -- the 2024-07-01 schema change renamed the field: both shapes conform to one column
    try_cast(coalesce(json_extract_scalar(line, '$.customer_id'), json_extract_scalar(line, '$.customer')) AS bigint) AS customer_id,
    json_extract_scalar(line, '$.status') AS status,
    json_extract_scalar(line, '$.channel') AS channel,
    -- ISO-8601 text with an offset: the instant, whatever the offset
    try(from_iso8601_timestamp(json_extract_scalar(line, '$.ordered_at'))) AS ordered_at,
    try(from_iso8601_timestamp(json_extract_scalar(line, '$.updated_at'))) AS updated_at
  FROM bronze.orders
  WHERE try(json_parse(line)) IS NOT NULL
), valid AS (
  SELECT * FROM parsed
  WHERE order_id IS NOT NULL AND customer_id IS NOT NULL AND ordered_at IS NOT NULL AND updated_at IS NOT NULL
), ranked AS (
  -- Trino has no QUALIFY: number the versions in a subquery, keep the first
  SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC, status) AS version
  FROM valid
)
SELECT order_id, customer_id, status, channel, ordered_at, updated_at,
       CAST(ordered_at AT TIME ZONE 'UTC' AS date) AS order_date
FROM ranked
WHERE version = 1
