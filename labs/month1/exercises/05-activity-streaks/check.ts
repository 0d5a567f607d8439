import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';
import { RESENT_EVENT } from '../../traps.js';

export default defineExercise({
  title: 'Gaps and islands: activity streaks',
  kind: 'sql',
  file: 'query.sql',
  traps: [
    RESENT_EVENT,
    { name: 'a late event received on another day than it happened', count: `SELECT count(*) FROM events WHERE received_at::DATE <> event_ts::DATE` },
    {
      name: 'a user with two streaks apart',
      count: `WITH d AS (SELECT DISTINCT user_id, event_ts::DATE AS day FROM events),
        i AS (SELECT user_id, day - CAST(row_number() OVER (PARTITION BY user_id ORDER BY day) AS INTEGER) AS island FROM d),
        s AS (SELECT user_id, island FROM i GROUP BY ALL HAVING count(*) >= 2)
        SELECT count(*) FROM (SELECT user_id FROM s GROUP BY user_id HAVING count(*) >= 2)`,
    },
  ],
  checks: [
    expectSqlUses(
      /\b(row_number|dense_rank)\s*\(/i,
      'ROW_NUMBER() or DENSE_RANK()',
      'number each user\'s active days in date order; `day - ROW_NUMBER()` is the same date on every day of one streak and changes after a gap, so it is the key to GROUP BY',
    ),
    expectSameRows({ key: ['user_id', 'streak_start'] }),
  ],
});
