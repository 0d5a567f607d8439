-- a gap of exactly 30 minutes starts a new session (>= instead of >)
WITH unique_events AS (
  -- a resent event is the same row again apart from received_at
  SELECT DISTINCT event_id, user_id, event_ts, event_type = 'purchase' AS is_purchase
  FROM events
),
flagged AS (
  -- events with the same event_ts are 0 apart: their order cannot move a session boundary
  SELECT *,
         CASE WHEN LAG(event_ts) OVER by_time IS NULL
                OR event_ts - LAG(event_ts) OVER by_time >= INTERVAL 30 MINUTE
              THEN 1 ELSE 0 END AS new_session
  FROM unique_events
  WINDOW by_time AS (PARTITION BY user_id ORDER BY event_ts)
),
numbered AS (
  SELECT *,
         SUM(new_session) OVER (PARTITION BY user_id ORDER BY event_ts
                                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_no
  FROM flagged
)
SELECT user_id,
       session_no,
       min(event_ts) AS started_at,
       max(event_ts) AS ended_at,
       count(*) AS events,
       bool_or(is_purchase) AS converted
FROM numbered
GROUP BY user_id, session_no
