import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'Walk the category tree with a recursive CTE',
  kind: 'sql',
  file: 'query.sql',
  checks: [
    expectSqlUses(
      /\bwith\s+recursive\b/i,
      'WITH RECURSIVE',
      'a tree can be any depth: walk it with an anchor (the roots) UNION ALL a step that joins the previous level to its children, instead of hard-coding one self-join per level',
    ),
    expectSameRows({ key: ['category_id'] }),
  ],
});
