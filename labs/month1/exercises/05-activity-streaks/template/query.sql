-- 05 · Gaps and islands: activity streaks
--
-- Product wants to reward streaks. A user is active on a day (UTC) when they have at least
-- one event in `events` that day; a streak is a run of 2 or more consecutive active days.
-- Return ONE row per streak of every user.
--
-- Watch the mess: some events were resent (the same `event_id` twice) — count each event
-- once. `received_at` is when the pipeline got an event, hours late for some; the day a
-- user was active comes from `event_ts`.
--
-- Columns: user_id, streak_start (DATE, first day of the streak), streak_end (DATE, last
-- day), days (number of days in the streak, ≥ 2), events (distinct events in the streak)
-- Any row order. Use `day - ROW_NUMBER() OVER (PARTITION BY … ORDER BY day)` as the island key.
--
-- Check it: lab check month1 05      Stuck? lab hint month1 05

-- Starter: treats everything from a user's first to last active day as one streak.
SELECT user_id,
       min(received_at)::DATE AS streak_start,
       max(received_at)::DATE AS streak_end,
       count(DISTINCT received_at::DATE) AS days,
       count(*) AS events
FROM events
GROUP BY user_id
