-- 03 · silver.order_lines: typed money, to the cent
--
-- bronze.order_lines holds the raw daily drops of the order lines: one JSON text `line` per
-- line of an order, in the drop `dt` of the day the order was placed, with the `file` it came
-- from. Build the silver table finance sums: one row per (order_id, line_no), typed, with
-- what the line costs the customer.
--
-- The mess:
--   * prices come as text ("unit_price":"32.07"); the discount is a JSON number (0.15), or
--     null when the line has none (most lines);
--   * revenue must add up to the cent on every line, and floating point (DOUBLE) does not:
--     0.1 has no exact binary value, so some amounts round to the wrong cent;
--   * ~0.2% of lines do not parse (cut off in transit) or carry a quantity in words ("two"):
--     leave them out here (exercise 02 quarantines them). A line is valid when it parses and
--     order_id, line_no, product_id, quantity cast to integers and unit_price to DECIMAL(10,2).
--
-- Columns: order_id BIGINT, line_no INTEGER, product_id BIGINT, quantity INTEGER,
-- unit_price DECIMAL(10,2), discount DECIMAL(4,2) (0.00 when the line has none),
-- line_amount DECIMAL(12,2) = round(quantity * unit_price * (1 - discount), 2),
-- order_date DATE (the drop day dt).
-- Partition the files by order_date: keep the `-- @partition_by order_date` line below.
--
-- Make it incremental: a new day's drop must not rebuild the whole year. Add a line
-- `-- @incremental` next to @partition_by, and read only that day's drop when the runner asks:
-- `lab run month4 --day D` sets getvariable('run_day') to D (unset, it is NULL: build it all).
-- Try it: `lab drop month4` lands the next day, then `lab run month4 silver.order_lines --day …`.
--
-- Build it: lab run month4 silver.order_lines     Check it: lab check month4 03     Stuck? lab hint month4 03
-- @partition_by order_date

-- Starter: floats for money, the discount as it comes, every line that parses kept.
SELECT
  try_cast(line->>'order_id' AS BIGINT) AS order_id,
  try_cast(line->>'line_no' AS INTEGER) AS line_no,
  try_cast(line->>'product_id' AS BIGINT) AS product_id,
  try_cast(line->>'quantity' AS INTEGER) AS quantity,
  (line->>'unit_price')::DOUBLE AS unit_price,
  (line->>'discount')::DOUBLE AS discount,
  quantity * unit_price * (1 - discount) AS line_amount,
  dt AS order_date
FROM bronze.order_lines
WHERE json_valid(line)
