-- 10 · QUALIFY: the current version of each customer (reference solution)
SELECT customer_id, email, country, segment
FROM customers
-- row_number, not rank: exact duplicate rows tie on updated_at and must still yield one row
QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1
