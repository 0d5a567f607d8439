-- 05 · Gaps and islands: activity streaks (reference solution)
WITH active_days AS (
  -- resent copies share event_id and event_ts, so they fall on the same day
  SELECT user_id, event_ts::DATE AS day, count(DISTINCT event_id) AS events
  FROM events
  GROUP BY user_id, event_ts::DATE
),
islands AS (
  -- consecutive days minus 1, 2, 3 … give the same date: one value per streak
  SELECT user_id, day, events,
         day - CAST(ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY day) AS INTEGER) AS island
  FROM active_days
)
SELECT user_id,
       min(day) AS streak_start,
       max(day) AS streak_end,
       count(*) AS days,
       sum(events) AS events
FROM islands
GROUP BY user_id, island
HAVING count(*) >= 2
