import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';

export default defineExercise({
  title: 'Gaps and islands: activity streaks',
  kind: 'sql',
  file: 'query.sql',
  checks: [
    expectSqlUses(
      /\b(row_number|dense_rank)\s*\(/i,
      'ROW_NUMBER() or DENSE_RANK()',
      'number each user\'s active days in date order; `day - ROW_NUMBER()` is the same date on every day of one streak and changes after a gap, so it is the key to GROUP BY',
    ),
    expectSameRows({ key: ['user_id', 'streak_start'] }),
  ],
});
