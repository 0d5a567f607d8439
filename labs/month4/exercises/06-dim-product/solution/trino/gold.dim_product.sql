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
  -- a product not yet filed on a shelf keeps its row, under the 'unknown' member
  coalesce(shelf.name, 'unknown') AS shelf,
  coalesce(aisle.name, 'unknown') AS aisle,
  coalesce(department.name, 'unknown') AS department
FROM bronze.products p
LEFT JOIN categories shelf ON shelf.category_id = CAST(p.category_id AS bigint)
LEFT JOIN categories aisle ON aisle.category_id = shelf.parent_id
LEFT JOIN categories department ON department.category_id = aisle.parent_id
