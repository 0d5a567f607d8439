import { defineExercise, expectSameRows, expectSqlUses, expectUniqueKey } from '../../../../src/lab/checks.js';
import { ORDER_WITH_VERSIONS, ROW_EXPORTED_TWICE } from '../../traps.js';

export default defineExercise({
  title: 'Deduplicate a CDC export with ROW_NUMBER',
  kind: 'sql',
  file: 'query.sql',
  traps: [ORDER_WITH_VERSIONS, ROW_EXPORTED_TWICE],
  checks: [
    expectSqlUses(/\brow_number\s*\(/i, 'ROW_NUMBER()', 'number each order\'s versions with ROW_NUMBER() OVER (PARTITION BY … ORDER BY …) and keep the first'),
    expectUniqueKey(['order_id']),
    expectSameRows({ key: ['order_id'] }),
  ],
});
