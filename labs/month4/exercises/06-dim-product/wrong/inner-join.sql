-- inner joins the levels: a product with no shelf falls out of the dimension
WITH categories AS (
  SELECT category_id::BIGINT AS category_id, try_cast(parent_id AS BIGINT) AS parent_id, name
  FROM bronze.categories
)
SELECT
  p.product_id::BIGINT AS product_id,
  p.sku,
  p.name,
  p.unit_price::DECIMAL(10, 2) AS unit_price,
  -- a product not yet filed on a shelf keeps its row, under the 'unknown' member
  coalesce(shelf.name, 'unknown') AS shelf,
  coalesce(aisle.name, 'unknown') AS aisle,
  coalesce(department.name, 'unknown') AS department
FROM bronze.products p
-- LEFT JOINs: a product whose category is unknown stays in the dimension, with NULL levels
JOIN categories shelf ON shelf.category_id = p.category_id::BIGINT
LEFT JOIN categories aisle ON aisle.category_id = shelf.parent_id
LEFT JOIN categories department ON department.category_id = aisle.parent_id
