-- joins only versions valid at the order: an order placed before its customer's first version gets no customer_key
-- @partition_by order_date
WITH live_orders AS (
  -- the order's current status decides: a cancelled order's lines never became revenue
  SELECT order_id, customer_id, status, order_date, ordered_at AT TIME ZONE 'UTC' AS ordered_utc
  FROM silver.orders
  WHERE status <> 'cancelled'
), versions AS (
  -- each version's period; the first one also covers everything before it, so an order older
  -- than the customer's first version still finds one (no OR in the join: it stays a hash join)
  SELECT customer_key, customer_id,
         valid_from AS period_from,
         coalesce(valid_to, 'infinity'::TIMESTAMP) AS period_to
  FROM gold.dim_customer
)
SELECT l.order_id, l.line_no, o.order_date, c.customer_key, l.product_id, l.quantity, l.line_amount, o.status
FROM silver.order_lines l
JOIN live_orders o ON o.order_id = l.order_id
-- point in time: the one version valid when the order was placed; LEFT keeps the revenue of a
-- customer the dimension does not know (customer_key NULL)
LEFT JOIN versions c
  ON c.customer_id = o.customer_id
 AND o.ordered_utc >= c.period_from
 AND o.ordered_utc < c.period_to
