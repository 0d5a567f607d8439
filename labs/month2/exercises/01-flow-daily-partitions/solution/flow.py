"""01 · reference: a task per day that replaces its partition atomically."""
import os
import uuid

import pandas as pd
from prefect import flow, task

import lab_flow


@task
def daily_revenue(day: str) -> int:
    lines = lab_flow.read_orders(day)
    newest = lines.sort_values(["order_id", "updated_at"]).drop_duplicates("order_id", keep="last")
    kept = newest[newest["status"] != "cancelled"]
    result = pd.DataFrame({"orders": [len(kept)], "revenue_cents": [int(kept["amount_cents"].sum())]})
    folder = lab_flow.partition_dir("daily_revenue", day)
    # Written beside, then renamed over the old file: a reader never sees half a partition.
    # A name of its own: two runs writing the same day at once must not share a temporary file.
    tmp = os.path.join(folder, f".part-0.{uuid.uuid4().hex}.tmp")
    result.to_parquet(tmp, index=False)
    for old in os.listdir(folder):
        if old.endswith(".parquet") and old != "part-0.parquet":
            os.remove(os.path.join(folder, old))
    os.replace(tmp, os.path.join(folder, "part-0.parquet"))
    return len(kept)


@flow
def pipeline(start: str, end: str):
    for day in lab_flow.days(start, end):
        daily_revenue(day)
