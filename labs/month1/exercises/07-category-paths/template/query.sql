-- 07 · Walk the category tree with a recursive CTE
--
-- `categories` is a tree: departments (parent_id NULL) → aisles → shelves, and every product
-- sits on a shelf. Merchandising wants every category with its full path and the revenue of
-- everything in it and below it. Return ONE row per category (all of them, not just shelves).
--
-- Watch the mess: `orders` is a change log with several rows per order; revenue counts the
-- order lines of orders whose CURRENT version (latest `updated_at`) is not 'cancelled'.
-- A line's revenue is quantity * unit_price * (1 - coalesce(discount, 0)).
--
-- Columns: category_id, path (names from the root down joined by ' > ', e.g.
-- 'Electronics > Audio > Headphones'), depth (1 for a department, 2 for an aisle, 3 for a
-- shelf), revenue (of the category and all categories below it, round(…, 2); 0 when none)
-- Any row order. Use WITH RECURSIVE: roots as the anchor, UNION ALL their children.
--
-- Check it: lab check month1 07      Stuck? lab hint month1 07

-- Starter: shelves only, and every exported version of an order counts.
SELECT c.category_id,
       c.name AS path,
       1 AS depth,
       round(sum(i.quantity * i.unit_price * (1 - coalesce(i.discount, 0))), 2) AS revenue
FROM categories c
JOIN products p ON p.category_id = c.category_id
JOIN order_items i ON i.product_id = p.product_id
JOIN orders o ON o.order_id = i.order_id
WHERE o.status <> 'cancelled'
GROUP BY c.category_id, c.name
