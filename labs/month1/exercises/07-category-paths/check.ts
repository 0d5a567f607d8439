import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';
import { CANCELLED_AFTER_PLACED } from '../../traps.js';

export default defineExercise({
  title: 'Walk the category tree with a recursive CTE',
  kind: 'sql',
  file: 'query.sql',
  traps: [
    { name: 'a category with no revenue (0, not missing)', count: `SELECT count(*) FROM categories c WHERE c.category_id >= 100 AND c.category_id NOT IN (SELECT category_id FROM products)` },
    CANCELLED_AFTER_PLACED,
  ],
  checks: [
    expectSqlUses(
      /\bwith\s+recursive\b/i,
      'WITH RECURSIVE',
      'a tree can be any depth: walk it with an anchor (the roots) UNION ALL a step that joins the previous level to its children, instead of hard-coding one self-join per level',
    ),
    expectSameRows({ key: ['category_id'] }),
  ],
});
