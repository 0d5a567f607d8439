-- RANK() skips a rank after the tie at the top: the third product is left out
WITH current_orders AS (
  SELECT order_id, status
  FROM orders
  QUALIFY ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1
),
product_revenue AS (
  SELECT oi.product_id,
         sum(oi.quantity * oi.unit_price * (1 - coalesce(oi.discount, 0))) AS revenue
  FROM order_items oi
  JOIN current_orders o USING (order_id)
  -- filter after picking the current version: a cancelled order's older 'placed' row must not count
  WHERE o.status <> 'cancelled'
  GROUP BY oi.product_id
),
ranked AS (
  SELECT dept.name AS department, p.product_id, p.name AS product_name, r.revenue,
         RANK() OVER (PARTITION BY dept.category_id ORDER BY r.revenue DESC) AS revenue_rank
  FROM product_revenue r
  JOIN products p USING (product_id)
  JOIN categories shelf ON shelf.category_id = p.category_id
  JOIN categories aisle ON aisle.category_id = shelf.parent_id
  JOIN categories dept ON dept.category_id = aisle.parent_id
)
SELECT department, revenue_rank, product_id, product_name, round(revenue, 2) AS revenue
FROM ranked
WHERE revenue_rank <= 3
