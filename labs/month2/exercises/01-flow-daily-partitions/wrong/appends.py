# A task per day, versions deduplicated, but each run adds a new file to the day's partition.
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
    result.to_parquet(os.path.join(lab_flow.partition_dir("daily_revenue", day), f"part-{uuid.uuid4().hex}.parquet"), index=False)
    return len(kept)


@flow
def pipeline(start: str, end: str):
    for day in lab_flow.days(start, end):
        daily_revenue(day)
