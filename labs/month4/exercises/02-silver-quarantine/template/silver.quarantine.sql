-- 02 · silver.quarantine: every line silver leaves out, and why
--
-- Silver drops the bronze lines it cannot use; a pipeline that drops them silently loses
-- orders nobody will ever look for. Build the quarantine: one row per bronze line of
-- bronze.orders and bronze.order_lines that silver leaves out, with the reason, so that
-- bronze = silver + quarantine, line for line.
--
-- The mess:
--   * some lines do not parse at all (cut off in transit), but others parse fine and carry a
--     value of the wrong type (order_id "N/A", ordered_at "yesterday", quantity "two"): silver
--     leaves those out too, so they belong here;
--   * the quarantine must be exactly the complement of silver's rule, no more, no less:
--       orders (01): it parses, order_id casts to BIGINT, customer_id (or `customer`, the
--         2024-07-01 shape) casts to BIGINT, ordered_at and updated_at cast to TIMESTAMPTZ;
--       order_lines (03): it parses, order_id and product_id cast to BIGINT, line_no and
--         quantity to INTEGER, unit_price to DECIMAL(10,2);
--   * a line exported twice is quarantined twice: count lines, not distinct lines.
--
-- Columns: source VARCHAR ('orders' or 'order_lines'), dt DATE (the drop day), file VARCHAR
-- (the path from 'bronze/' on, e.g. 'bronze/orders/dt=2024-03-01/orders0.jsonl'), line VARCHAR
-- (the raw line, untouched), reason VARCHAR (why it was left out, for whoever fixes the export).
--
-- Build it: lab run month4 silver.quarantine     Check it: lab check month4 02     Stuck? lab hint month4 02

-- Starter: the lines that do not parse.
SELECT 'orders' AS source, dt, regexp_extract(file, '(bronze/.*)$', 1) AS file, line, 'not valid JSON' AS reason
FROM bronze.orders
WHERE NOT json_valid(line)
UNION ALL
SELECT 'order_lines' AS source, dt, regexp_extract(file, '(bronze/.*)$', 1) AS file, line, 'not valid JSON' AS reason
FROM bronze.order_lines
WHERE NOT json_valid(line)
