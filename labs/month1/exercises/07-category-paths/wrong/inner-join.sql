-- an inner join: a category nobody bought from has no row instead of revenue 0
WITH RECURSIVE tree AS (
  SELECT category_id, name AS path, 1 AS depth, [category_id] AS lineage
  FROM categories
  WHERE parent_id IS NULL
  UNION ALL
  SELECT c.category_id, t.path || ' > ' || c.name, t.depth + 1, list_append(t.lineage, c.category_id)
  FROM tree t
  JOIN categories c ON c.parent_id = t.category_id
),
current_orders AS (
  -- the status of each order's latest version
  SELECT order_id, arg_max(status, updated_at) AS status
  FROM orders
  GROUP BY order_id
),
shelf_revenue AS (
  SELECT p.category_id, sum(i.quantity * i.unit_price * (1 - coalesce(i.discount, 0))) AS revenue
  FROM order_items i
  JOIN current_orders o ON o.order_id = i.order_id AND o.status <> 'cancelled'
  JOIN products p ON p.product_id = i.product_id
  GROUP BY p.category_id
),
rolled_up AS (
  -- each shelf's revenue counts for the shelf and for every category above it
  SELECT unnest(t.lineage) AS category_id, s.revenue
  FROM shelf_revenue s
  JOIN tree t ON t.category_id = s.category_id
)
SELECT t.category_id, t.path, t.depth, round(coalesce(sum(r.revenue), 0), 2) AS revenue
FROM tree t
JOIN rolled_up r ON r.category_id = t.category_id
GROUP BY t.category_id, t.path, t.depth
ORDER BY t.path
