import { defineExercise, expectSameRows, expectSqlUses } from '../../../../src/lab/checks.js';
import { RESENT_EVENT } from '../../traps.js';

export default defineExercise({
  title: 'Sessionize clickstream events with LAG and a running SUM',
  kind: 'sql',
  file: 'query.sql',
  traps: [
    RESENT_EVENT,
    { name: 'an event received hours after it happened', count: `SELECT count(*) FROM events WHERE received_at - event_ts > INTERVAL 1 HOUR` },
    {
      name: "a gap of exactly 30 minutes between a user's events (still one session)",
      count: `WITH e AS (SELECT DISTINCT event_id, user_id, event_ts FROM events)
        SELECT count(*) FROM (SELECT event_ts - lag(event_ts) OVER (PARTITION BY user_id ORDER BY event_ts) AS gap FROM e) WHERE gap = INTERVAL 30 MINUTE`,
    },
  ],
  checks: [
    expectSqlUses(
      /\blag\s*\(/i,
      'LAG()',
      'compare each event with the user\'s previous one, `event_ts - LAG(event_ts) OVER (PARTITION BY user_id ORDER BY event_ts, event_id)`, to flag where a new session starts',
    ),
    expectSqlUses(
      // sum( … ) OVER, allowing two levels of parentheses inside the sum
      /\bsum\s*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)\s*over\b/i,
      'a running SUM(…) OVER',
      'a running total of the 0/1 "new session" flags, `SUM(flag) OVER (PARTITION BY user_id ORDER BY event_ts, event_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`, numbers the sessions 1, 2, 3 … in one pass',
    ),
    expectSameRows({ key: ['user_id', 'session_no'] }),
  ],
});
