"""05 · A step that must never run twice at once

After each day, the flow publishes a summary for the finance dashboard, out/summary.json:
    {"days": {"2024-03-01": <revenue_cents>, ...}, "total_cents": <the sum of the days>}
Publishing is a read-modify-write (lab_flow.read_summary(), change it, lab_flow.write_summary()),
and the days run concurrently. Two publishes at once both read the old summary, and the
second write loses the first one's day. Worse: tonight a backfill runs beside the nightly
run — two flow runs, two processes, overlapping days.

Make the publish step run one at a time, across flow runs:
  * the lab's Prefect server has a global concurrency limit named "summary" with one slot:
    `from prefect.concurrency.sync import concurrency` and hold `concurrency("summary",
    occupy=1)` around the read-modify-write (a threading.Lock would only guard one process);
  * a day published twice (by both runs) counts once: set the day's value, then total_cents
    as the sum of the days — never add to the old total;
  * the same partitions as exercise 01.

Run it:   lab run month2 05
Check it: lab check month2 05      Stuck? lab hint month2 05
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


@task
def publish(day: str, revenue_cents: int) -> None:
    summary = lab_flow.read_summary()
    summary["days"][day] = revenue_cents
    summary["total_cents"] = sum(summary["days"].values())
    lab_flow.write_summary(summary)


@task
def day_and_publish(day: str) -> None:
    publish(day, daily_revenue(day))


@flow
def pipeline(start: str, end: str):
    return day_and_publish.map(lab_flow.days(start, end)).result()
