"""02 · Retries with backoff: a source that answers 503 now and then

Exercise 01's flow, working. But the export service is a real service: on some days it
answers HTTP 503 once or twice before it answers (lab_flow.read_orders raises
lab_flow.SourceUnavailable), and tonight the whole run fails because of one hiccup.

Make the day's task retry on its own, and back off: wait a moment before the first retry,
and longer before each next one (the source is overloaded; hammering it makes it worse).
  * the retries are Prefect's (@task(retries=..., retry_delay_seconds=...)): the run history
    must show the task failing and recovering, not a loop hidden inside your code;
  * the first wait at least half a second, each next wait longer than the one before
    (a list such as [1, 2, 4], or prefect.tasks.exponential_backoff; no jitter needed);
  * the same partitions as exercise 01.

Run it:   lab run month2 02
Check it: lab check month2 02      Stuck? lab hint month2 02
"""
import os
import uuid

import pandas as pd
from prefect import flow, task

import lab_flow


def write_day(day: str, lines) -> int:
    newest = lines.sort_values(["order_id", "updated_at"]).drop_duplicates("order_id", keep="last")
    kept = newest[newest["status"] != "cancelled"]
    result = pd.DataFrame({"orders": [len(kept)], "revenue_cents": [int(kept["amount_cents"].sum())]})
    folder = lab_flow.partition_dir("daily_revenue", day)
    # A name of its own: two runs writing the same day at once must not share a temporary file.
    tmp = os.path.join(folder, f".part-0.{uuid.uuid4().hex}.tmp")
    result.to_parquet(tmp, index=False)
    for old in os.listdir(folder):
        if old.endswith(".parquet") and old != "part-0.parquet":
            os.remove(os.path.join(folder, old))
    os.replace(tmp, os.path.join(folder, "part-0.parquet"))
    return int(result["revenue_cents"][0])


@task
def daily_revenue(day: str) -> int:
    return write_day(day, lab_flow.read_orders(day))


@flow
def pipeline(start: str, end: str):
    for day in lab_flow.days(start, end):
        daily_revenue(day)
