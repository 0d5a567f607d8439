import { defineExercise, expectIdempotent, expectNoRows, expectSameRows, expectUniqueKey } from '../../../../src/lab/checks.js';
import {  } from '../../traps.js';

export default defineExercise({
  title: 'gold.dim_product: the category tree flattened into a star',
  kind: 'model',
  file: 'gold.dim_product.sql',
  traps: [
    { name: 'a product not filed on a shelf (empty category_id)', count: `SELECT count(*) FROM bronze.products WHERE nullif(trim(category_id), '') IS NULL` },
    { name: 'a department (no parent)', count: `SELECT count(*) FROM bronze.categories WHERE nullif(trim(parent_id), '') IS NULL` },
  ],
  checks: [
    expectUniqueKey(['product_id']),
    expectNoRows(
      'every product is in the catalogue',
      `SELECT product_id::BIGINT AS product_id, sku FROM bronze.products
       WHERE product_id::BIGINT NOT IN (SELECT product_id FROM learner WHERE product_id IS NOT NULL) ORDER BY 1`,
      'products of bronze.products are missing from the dimension (an inner join to a level that is not there drops them: every product needs a row, or its sales fall out of every report)',
    ),
    expectNoRows(
      'shelf, aisle and department are the three levels of the tree',
      `SELECT l.product_id, l.shelf, l.aisle, l.department FROM learner l
       LEFT JOIN bronze.products p ON p.product_id::BIGINT = l.product_id
       WHERE CASE WHEN nullif(trim(p.category_id), '') IS NULL
                  THEN (l.shelf, l.aisle, l.department) IS DISTINCT FROM ('unknown', 'unknown', 'unknown')
                  ELSE l.shelf IS NULL OR l.aisle IS NULL OR l.department IS NULL
                    OR l.department NOT IN (SELECT name FROM bronze.categories WHERE nullif(trim(parent_id), '') IS NULL)
                    OR l.aisle NOT IN (SELECT c.name FROM bronze.categories c JOIN bronze.categories d ON c.parent_id = d.category_id WHERE nullif(trim(d.parent_id), '') IS NULL) END
       ORDER BY l.product_id`,
      "products whose levels are missing or mixed up (the tree has three levels: a product's category is a shelf, the shelf's parent an aisle, the aisle's parent a top-level department with no parent; a product with an empty category is 'unknown' on all three)",
    ),
    expectNoRows(
      'unit_price is exact money: DECIMAL(10,2)',
      `SELECT column_name, column_type FROM (DESCRIBE learner) WHERE column_name = 'unit_price' AND column_type <> 'DECIMAL(10,2)'`,
      "column is not DECIMAL(10,2) (cast the text price with ::DECIMAL(10, 2): a DOUBLE cannot hold 0.10 exactly, and sums of money drift off the cent)",
    ),
    expectSameRows({ key: ['product_id'] }),
    expectIdempotent(),
  ],
});
