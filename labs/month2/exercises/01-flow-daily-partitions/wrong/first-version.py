# Idempotent tasks per day, but duplicates dropped by keeping each order's FIRST line, not its newest version.
import os

import pandas as pd
from prefect import flow, task

import lab_flow


@task
def daily_revenue(day: str) -> int:
    lines = lab_flow.read_orders(day)
    first = lines.drop_duplicates("order_id", keep="first")
    kept = first[first["status"] != "cancelled"]
    result = pd.DataFrame({"orders": [len(kept)], "revenue_cents": [int(kept["amount_cents"].sum())]})
    result.to_parquet(os.path.join(lab_flow.partition_dir("daily_revenue", day), "part-0.parquet"), index=False)
    return len(kept)


@flow
def pipeline(start: str, end: str):
    for day in lab_flow.days(start, end):
        daily_revenue(day)
