-- 06 · gold.dim_product (reference solution, Trino's dialect)
WITH categories AS (
  SELECT CAST(category_id AS bigint) AS category_id, try_cast(parent_id AS bigint) AS parent_id, name
  FROM bronze.categories
)
SELECT
  CAST(p.product_id AS bigint) AS product_id,
  p.sku,
  p.name,
  CAST(p.unit_price AS decimal(10, 2)) AS unit_price,
  shelf.name AS shelf,
  aisle.name AS aisle,
  department.name AS department
FROM bronze.products p
LEFT JOIN categories shelf ON shelf.category_id = CAST(p.category_id AS bigint)
LEFT JOIN categories aisle ON aisle.category_id = shelf.parent_id
LEFT JOIN categories department ON department.category_id = aisle.parent_id
