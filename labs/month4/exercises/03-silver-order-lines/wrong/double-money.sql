-- computes money in DOUBLE: some lines land on the wrong cent
-- @partition_by order_date
-- @incremental
WITH parsed AS (
  SELECT
    try_cast(line->>'order_id' AS BIGINT) AS order_id,
    try_cast(line->>'line_no' AS INTEGER) AS line_no,
    try_cast(line->>'product_id' AS BIGINT) AS product_id,
    try_cast(line->>'quantity' AS INTEGER) AS quantity,
    -- money goes from text straight to DECIMAL: through a DOUBLE some lines land on the wrong cent
    try_cast(line->>'unit_price' AS DECIMAL(10, 2)) AS unit_price,
    -- JSON null (no discount) is 0.00, so the amount is not NULL
    coalesce(try_cast(line->>'discount' AS DECIMAL(4, 2)), 0.00)::DECIMAL(4, 2) AS discount,
    -- lines land in the drop of the day their order was placed
    dt AS order_date
  FROM bronze.order_lines
  -- incremental: a run for one day (lab run --day) reads that day's drop only
  WHERE json_valid(line) AND (getvariable('run_day') IS NULL OR dt = getvariable('run_day'))
)
SELECT order_id, line_no, product_id, quantity, unit_price, discount,
       -- exact DECIMAL arithmetic, then one rounding to the cent
       round(quantity * unit_price::DOUBLE * (1 - discount::DOUBLE), 2)::DECIMAL(12, 2) AS line_amount,
       order_date
FROM parsed
WHERE order_id IS NOT NULL AND line_no IS NOT NULL AND product_id IS NOT NULL
  AND quantity IS NOT NULL AND unit_price IS NOT NULL
