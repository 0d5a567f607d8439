"""03 · A sensor: wait for the drop that lands late

The nightly export is not always on time: one day's drop lands a few seconds after the run
has started. Read it at once and lab_flow.read_orders raises lab_flow.NotLanded; skip it and
the day silently has no revenue.

Wait for upstream data instead, as an orchestrator's sensor does:
  * before a day is read, wait until lab_flow.landed(day) is true, polling (every half second
    or so, not in a tight loop), and give up with an error after a few minutes: a drop that
    never lands must fail the run loudly, not hang it or skip the day;
  * then the same partitions as exercise 01: every day, the late one too.

Run it:   lab run month2 03
Check it: lab check month2 03      Stuck? lab hint month2 03
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
