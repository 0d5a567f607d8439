import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'Deduplicate a CDC export with ROW_NUMBER',
  kind: 'sql',
  file: 'query.sql',
  checks: [
    expectSqlUses(/\brow_number\s*\(/i, 'ROW_NUMBER()', 'number each order\'s versions with ROW_NUMBER() OVER (PARTITION BY … ORDER BY …) and keep the first'),
    expectSameRows({ key: ['order_id'] }),
  ],
});
