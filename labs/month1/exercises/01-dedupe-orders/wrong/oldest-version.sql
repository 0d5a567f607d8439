-- keeps the FIRST version of each order (ORDER BY updated_at ascending)
WITH ranked AS (
  SELECT order_id, customer_id, status, ordered_at, updated_at,
         ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at) AS rn
  FROM orders
)
SELECT order_id, customer_id, status, ordered_at, updated_at
FROM ranked
WHERE rn = 1
