-- 01 · Deduplicate a CDC export with ROW_NUMBER
--
-- `orders` is an export of the order service's change log: an order appears once per
-- status change (placed → shipped → delivered …) and a few rows were exported twice.
-- Return ONE row per order: its latest version (the greatest `updated_at`).
--
-- Columns: order_id, customer_id, status, ordered_at, updated_at
-- Any row order. Use ROW_NUMBER() OVER (PARTITION BY … ORDER BY …).
--
-- Check it: lab check month1 01      Stuck? lab hint month1 01

SELECT order_id, customer_id, status, ordered_at, updated_at
FROM orders
