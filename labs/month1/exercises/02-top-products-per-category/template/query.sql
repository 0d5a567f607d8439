-- 02 · Top products per department with DENSE_RANK
--
-- Merchandising wants the best sellers of every department (the top level of the
-- category tree: Electronics, Home, …): the 3 products with the most revenue in each.
-- A product belongs to a shelf (`products.category_id`); the shelf's parent is an aisle,
-- and the aisle's parent is the department.
--
-- Revenue counts only CURRENT orders (the latest version of each order, as in 01) whose
-- current status is not 'cancelled'. `orders` holds every version: joining it as it is
-- counts a line once per version, and an order cancelled later may still have a 'placed' row.
-- A line is worth quantity * unit_price * (1 - coalesce(discount, 0)).
--
-- Columns: department    the department's name
--          revenue_rank  1 for the department's best seller; products with equal revenue
--                        share a rank and the next one gets the next number (1, 1, 2)
--          product_id, product_name
--          revenue       the product's revenue, rounded to 2 decimals (rank on the unrounded sum)
-- Every product ranked 1, 2 or 3 in its department: more than 3 rows for a department when
-- there are ties. Products never sold are left out. Any row order.
-- Use DENSE_RANK() OVER (PARTITION BY … ORDER BY …).
--
-- Check it: lab check month1 02      Stuck? lab hint month1 02

SELECT dept.name AS department,
       1 AS revenue_rank,
       p.product_id,
       p.name AS product_name,
       round(sum(oi.quantity * oi.unit_price * (1 - coalesce(oi.discount, 0))), 2) AS revenue
FROM order_items oi
JOIN orders o USING (order_id)
JOIN products p USING (product_id)
JOIN categories shelf ON shelf.category_id = p.category_id
JOIN categories aisle ON aisle.category_id = shelf.parent_id
JOIN categories dept ON dept.category_id = aisle.parent_id
WHERE o.status <> 'cancelled'
GROUP BY dept.name, p.product_id, p.name
ORDER BY revenue DESC
LIMIT 3
