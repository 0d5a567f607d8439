-- 06 · gold.dim_product: the category tree flattened into a star
--
-- Analysts want revenue by department, by aisle, by shelf, without learning how the catalogue
-- stores its categories. The shop keeps them as a tree in bronze.categories (category_id,
-- parent_id, name): a row points to its parent, departments have no parent. Build the product
-- dimension with one row per product and its three levels as plain columns, so a report is one
-- join away (a star, not a snowflake).
--
-- bronze.products: product_id, sku, name, category_id, unit_price. Both CSVs: every column is
-- VARCHAR, so ids compare as text until you cast them, and prices are text ('215.79').
--
-- The mess:
--   * the tree has THREE levels: a product's category is a shelf ('Laptops'), the shelf's parent
--     an aisle ('Computers'), the aisle's parent a department ('Electronics');
--   * parent_id is empty (NULL) on the departments;
--   * a few products are not filed on a shelf yet: their category_id is empty. They keep their
--     row, with shelf, aisle and department 'unknown' (a dimension's "unknown member"), or their
--     sales would silently fall out of every report that joins the dimension.
--
-- Columns: product_id BIGINT, sku VARCHAR, name VARCHAR, unit_price DECIMAL(10,2),
-- shelf VARCHAR, aisle VARCHAR, department VARCHAR.
--
-- Build it: lab run month4 gold.dim_product     Check it: lab check month4 06     Stuck? lab hint month4 06

-- Starter: the product page's breadcrumb, as if the catalogue were two levels deep.
SELECT
  p.product_id::BIGINT AS product_id,
  p.sku,
  p.name,
  p.unit_price::DECIMAL(10, 2) AS unit_price,
  c.name AS shelf,
  NULL::VARCHAR AS aisle,
  parent.name AS department
FROM bronze.products p
JOIN bronze.categories c ON c.category_id = p.category_id
JOIN bronze.categories parent ON parent.category_id = c.parent_id
