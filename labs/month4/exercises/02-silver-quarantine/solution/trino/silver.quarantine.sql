-- 02 · silver.quarantine (reference solution, Trino's dialect)
-- Each CASE tests the same rule as its silver model (01 for orders, 03 for order lines) and says
-- which part failed; a line that passes every test gets no reason and is not quarantined.
WITH orders AS (
  SELECT 'orders' AS source, dt, file, line,
    CASE
      WHEN line IS NULL OR try(json_parse(line)) IS NULL THEN 'not valid JSON'
      WHEN try_cast(json_extract_scalar(line, '$.order_id') AS bigint) IS NULL
        THEN 'order_id is not an integer: ' || coalesce(json_extract_scalar(line, '$.order_id'), 'missing')
      WHEN try_cast(coalesce(json_extract_scalar(line, '$.customer_id'), json_extract_scalar(line, '$.customer')) AS bigint) IS NULL
        THEN 'customer_id (or customer) is not an integer: ' || coalesce(json_extract_scalar(line, '$.customer_id'), json_extract_scalar(line, '$.customer'), 'missing')
      WHEN try(from_iso8601_timestamp(json_extract_scalar(line, '$.ordered_at'))) IS NULL
        THEN 'ordered_at is not a timestamp: ' || coalesce(json_extract_scalar(line, '$.ordered_at'), 'missing')
      WHEN try(from_iso8601_timestamp(json_extract_scalar(line, '$.updated_at'))) IS NULL
        THEN 'updated_at is not a timestamp: ' || coalesce(json_extract_scalar(line, '$.updated_at'), 'missing')
    END AS reason
  FROM bronze.orders
), order_lines AS (
  SELECT 'order_lines' AS source, dt, file, line,
    CASE
      WHEN line IS NULL OR try(json_parse(line)) IS NULL THEN 'not valid JSON'
      WHEN try_cast(json_extract_scalar(line, '$.order_id') AS bigint) IS NULL
        THEN 'order_id is not an integer: ' || coalesce(json_extract_scalar(line, '$.order_id'), 'missing')
      WHEN try_cast(json_extract_scalar(line, '$.line_no') AS integer) IS NULL
        THEN 'line_no is not an integer: ' || coalesce(json_extract_scalar(line, '$.line_no'), 'missing')
      WHEN try_cast(json_extract_scalar(line, '$.product_id') AS bigint) IS NULL
        THEN 'product_id is not an integer: ' || coalesce(json_extract_scalar(line, '$.product_id'), 'missing')
      WHEN try_cast(json_extract_scalar(line, '$.quantity') AS integer) IS NULL
        THEN 'quantity is not an integer: ' || coalesce(json_extract_scalar(line, '$.quantity'), 'missing')
      WHEN try_cast(json_extract_scalar(line, '$.unit_price') AS decimal(10, 2)) IS NULL
        THEN 'unit_price is not a price: ' || coalesce(json_extract_scalar(line, '$.unit_price'), 'missing')
    END AS reason
  FROM bronze.order_lines
)
SELECT source, dt, regexp_extract(file, '(bronze/.*)$', 1) AS file, line, reason
FROM (SELECT * FROM orders UNION ALL SELECT * FROM order_lines)
WHERE reason IS NOT NULL
