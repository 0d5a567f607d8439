-- 03 · silver.order_lines (reference solution, Trino's dialect; a full rebuild: incremental runs are on DuckDB for now)
-- @partition_by order_date
WITH parsed AS (
  SELECT
    try_cast(json_extract_scalar(line, '$.order_id') AS bigint) AS order_id,
    try_cast(json_extract_scalar(line, '$.line_no') AS integer) AS line_no,
    try_cast(json_extract_scalar(line, '$.product_id') AS bigint) AS product_id,
    try_cast(json_extract_scalar(line, '$.quantity') AS integer) AS quantity,
    -- money goes from text straight to DECIMAL: through a DOUBLE some lines land on the wrong cent
    try_cast(json_extract_scalar(line, '$.unit_price') AS decimal(10, 2)) AS unit_price,
    -- JSON null (no discount) is 0.00, so the amount is not NULL
    CAST(coalesce(try_cast(json_extract_scalar(line, '$.discount') AS decimal(4, 2)), 0.00) AS decimal(4, 2)) AS discount,
    dt AS order_date
  FROM bronze.order_lines
  WHERE try(json_parse(line)) IS NOT NULL
)
SELECT order_id, line_no, product_id, quantity, unit_price, discount,
       CAST(round(quantity * unit_price * (1 - discount), 2) AS decimal(12, 2)) AS line_amount,
       order_date
FROM parsed
WHERE order_id IS NOT NULL AND line_no IS NOT NULL AND product_id IS NOT NULL
  AND quantity IS NOT NULL AND unit_price IS NOT NULL
