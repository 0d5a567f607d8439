-- 01 · silver.orders: typed, conformed, one row per order
--
-- bronze.orders holds the raw daily drops of the order service's change log: one JSON text
-- `line` per status change, with the drop day `dt` and the `file` it came from. Build the
-- silver table everyone downstream trusts: one row per order, its LATEST version (greatest
-- updated_at), typed.
--
-- The mess:
--   * an order appears once per status change, and some lines were exported twice;
--   * from the 2024-07-01 drops on, the export renamed `customer_id` to `customer` and added
--     `channel` (web, app, store): conform both shapes into one;
--   * ~0.3% of lines do not parse, or carry a value of the wrong type (order_id "N/A",
--     ordered_at "yesterday"): leave them out here (exercise 02 quarantines them). When an
--     order's newest line is one of them, its latest GOOD line is the version silver keeps;
--   * `ordered_at` is text with the customer's own UTC offset ("…+05:30", "…Z").
--
-- Columns: order_id BIGINT, customer_id BIGINT, status VARCHAR, channel VARCHAR (NULL when the
-- latest version came in the old shape), ordered_at TIMESTAMPTZ (the instant),
-- updated_at TIMESTAMPTZ, order_date DATE (the UTC day of ordered_at).
-- Partition the files by order_date: keep the `-- @partition_by order_date` line below.
--
-- Build it: lab run month4 silver.orders     Check it: lab check month4 01     Stuck? lab hint month4 01
-- @partition_by order_date

-- Starter: the old shape only, every version of every order, bad lines and all.
SELECT
  (line->>'order_id')::BIGINT AS order_id,
  (line->>'customer_id')::BIGINT AS customer_id,
  line->>'status' AS status,
  NULL::VARCHAR AS channel,
  (line->>'ordered_at')::TIMESTAMPTZ AS ordered_at,
  (line->>'updated_at')::TIMESTAMPTZ AS updated_at,
  dt AS order_date
FROM bronze.orders
WHERE dt < DATE '2024-07-01' AND json_valid(line) AND try_cast(line->>'order_id' AS BIGINT) IS NOT NULL
  AND try_cast(line->>'ordered_at' AS TIMESTAMPTZ) IS NOT NULL
