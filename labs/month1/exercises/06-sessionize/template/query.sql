-- 06 · Sessionize clickstream events with LAG and a running SUM
--
-- Analytics wants web sessions. A user's session is a run of their events where each event
-- follows the previous one by at most 30 minutes; a gap of MORE than 30 minutes (by
-- `event_ts`) starts a new session. Return ONE row per session of every user.
--
-- Watch the mess: some events were resent (the same `event_id` twice) — count each event
-- once. About 2% arrived hours late: order by `event_ts` (when it happened), never by
-- `received_at` (when the pipeline got it), so a late event lands in the session it belongs to.
--
-- Columns: user_id, session_no (1, 2, 3 … per user, in time order), started_at and ended_at
-- (TIMESTAMP: the session's first and last `event_ts`), events (distinct events in the
-- session), converted (BOOLEAN: the session contains a 'purchase' event)
-- Any row order. Flag new sessions with LAG(), number them with a running SUM() OVER.
--
-- Check it: lab check month1 06      Stuck? lab hint month1 06

-- Starter: one session per user, however long the pauses between events.
SELECT user_id,
       1 AS session_no,
       min(event_ts) AS started_at,
       max(event_ts) AS ended_at,
       count(*) AS events,
       bool_or(event_type = 'purchase') AS converted
FROM events
GROUP BY user_id
