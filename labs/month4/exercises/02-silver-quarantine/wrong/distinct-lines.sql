-- quarantines each distinct broken line once: a line exported twice must be there twice
-- Each CASE tests the same rule as its silver model (01 for orders, 03 for order lines) and says
-- which part failed; a line that passes every test gets no reason and is not quarantined.
-- CASE, not AND: DuckDB evaluates every operand of an AND, and `->>` on a line that does not
-- parse is an error, so only CASE guarantees the JSON is valid before a field is read.
WITH orders AS (
  SELECT 'orders' AS source, dt, file, line,
    CASE
      WHEN line IS NULL OR NOT json_valid(line) THEN 'not valid JSON'
      WHEN try_cast(line->>'order_id' AS BIGINT) IS NULL THEN 'order_id is not an integer: ' || coalesce(line->>'order_id', 'missing')
      WHEN try_cast(coalesce(line->>'customer_id', line->>'customer') AS BIGINT) IS NULL
        THEN 'customer_id (or customer) is not an integer: ' || coalesce(line->>'customer_id', line->>'customer', 'missing')
      WHEN try_cast(line->>'ordered_at' AS TIMESTAMPTZ) IS NULL THEN 'ordered_at is not a timestamp: ' || coalesce(line->>'ordered_at', 'missing')
      WHEN try_cast(line->>'updated_at' AS TIMESTAMPTZ) IS NULL THEN 'updated_at is not a timestamp: ' || coalesce(line->>'updated_at', 'missing')
    END AS reason
  FROM bronze.orders
), order_lines AS (
  SELECT 'order_lines' AS source, dt, file, line,
    CASE
      WHEN line IS NULL OR NOT json_valid(line) THEN 'not valid JSON'
      WHEN try_cast(line->>'order_id' AS BIGINT) IS NULL THEN 'order_id is not an integer: ' || coalesce(line->>'order_id', 'missing')
      WHEN try_cast(line->>'line_no' AS INTEGER) IS NULL THEN 'line_no is not an integer: ' || coalesce(line->>'line_no', 'missing')
      WHEN try_cast(line->>'product_id' AS BIGINT) IS NULL THEN 'product_id is not an integer: ' || coalesce(line->>'product_id', 'missing')
      WHEN try_cast(line->>'quantity' AS INTEGER) IS NULL THEN 'quantity is not an integer: ' || coalesce(line->>'quantity', 'missing')
      WHEN try_cast(line->>'unit_price' AS DECIMAL(10, 2)) IS NULL THEN 'unit_price is not a price: ' || coalesce(line->>'unit_price', 'missing')
    END AS reason
  FROM bronze.order_lines
)
SELECT source, dt, regexp_extract(file, '(bronze/.*)$', 1) AS file, line, reason
FROM (SELECT DISTINCT * FROM (SELECT * FROM orders UNION ALL SELECT * FROM order_lines))
WHERE reason IS NOT NULL
