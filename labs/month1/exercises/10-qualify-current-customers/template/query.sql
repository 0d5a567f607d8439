-- 10 · QUALIFY: the current version of each customer
--
-- The CRM team wants a clean customer list: ONE row per customer, as the customer is now.
--
-- Watch the mess: `customers` keeps one row per version — ~8% of customers were updated
-- (email, segment) and their other row is still there — and a few rows were exported twice,
-- identical. The current version is the one with the latest `updated_at`.
-- SELECT DISTINCT does not help: two versions of a customer are distinct rows.
--
-- Columns: customer_id, email, country, segment   (as in the current version; country may be NULL)
-- One row per customer, any row order.
-- Use QUALIFY <window function> = … to keep the current row: no subquery or CTE needed.
--
-- Check it: lab check month1 10      Stuck? lab hint month1 10

SELECT DISTINCT customer_id, email, country, segment
FROM customers
