-- 01 · Deduplicate a CDC export with ROW_NUMBER (reference solution)
WITH ranked AS (
  SELECT order_id, customer_id, status, ordered_at, updated_at,
         ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) AS rn
  FROM orders
)
SELECT order_id, customer_id, status, ordered_at, updated_at
FROM ranked
WHERE rn = 1
