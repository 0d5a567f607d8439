-- 08 · gold.fact_order_lines: the star's fact, one row per order line
--
-- Analysts want one fact table to slice revenue by day, customer and product: one row per order
-- line, keyed to the dimensions. Build it from silver.order_lines, silver.orders (the order's
-- day, current status and customer) and gold.dim_customer (exercise 05, SCD type 2).
--
-- The mess:
--   * gold.dim_customer keeps every VERSION of a customer (a new email, a new segment): a
--     customer with two versions has two rows there. A line must point at the ONE version that
--     was valid when its order was placed: valid_from <= ordered_at < valid_to (valid_to NULL on
--     the current version: no end). Compare ordered_at as a UTC TIMESTAMP
--     (ordered_at AT TIME ZONE 'UTC'), as valid_from is. An order placed before the customer's
--     first version takes the first version;
--   * the order's CURRENT status decides what counts: a cancelled order never became revenue,
--     leave its lines out;
--   * lines whose order is not in silver.orders (its every version was a bad line) stay out too.
--
-- Columns: order_id BIGINT, line_no INTEGER, order_date DATE (the order's day), customer_key BIGINT
-- (the dim_customer version valid when the order was placed), product_id BIGINT, quantity INTEGER,
-- line_amount DECIMAL(12,2), status VARCHAR (the order's current status).
-- The revenue must reconcile to the cent with silver.order_lines over non-cancelled orders.
-- Partition the files by order_date: keep the `-- @partition_by order_date` line below.
--
-- Build it: lab run month4 gold.fact_order_lines     Check it: lab check month4 08     Stuck? lab hint month4 08
-- @partition_by order_date

-- Starter: the backend's join, customer by id, every order.
SELECT
  l.order_id,
  l.line_no,
  o.order_date,
  c.customer_key,
  l.product_id,
  l.quantity,
  l.line_amount,
  o.status
FROM silver.order_lines l
JOIN silver.orders o ON o.order_id = l.order_id
JOIN gold.dim_customer c ON c.customer_id = o.customer_id
