-- 04 · LAG/LEAD: gaps between a customer's orders
--
-- The retention team wants to see how often customers come back: for every order, how many
-- days passed since the same customer's previous order, and how many until their next one.
--
-- Use CURRENT orders only (the latest version of each order, as in 01): `orders` has one row
-- per status change, so an order appears several times and would look like a second order
-- placed 0 days later. Every order counts, whatever its status (a cancelled order is still a visit).
-- Order a customer's orders by ordered_at, then by order_id (two orders can share a timestamp).
--
-- Columns: customer_id, order_id, ordered_at
--          days_since_previous  calendar days between the UTC date of the customer's previous
--                               order and this order's UTC date (ordered_at::DATE difference,
--                               0 for the same day); NULL for the customer's first order
--          days_until_next      the same, from this order to the customer's next one;
--                               NULL for the customer's last order
-- One row per order, any row order.
-- Use LAG() and LEAD() over a window PARTITION BY customer_id.
--
-- Check it: lab check month1 04      Stuck? lab hint month1 04

SELECT customer_id, order_id, ordered_at,
       NULL::BIGINT AS days_since_previous,
       NULL::BIGINT AS days_until_next
FROM orders
