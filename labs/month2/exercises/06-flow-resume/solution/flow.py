"""06 · reference: days mapped, failures raised, results cached by their day."""
import os
import uuid

import pandas as pd
from prefect import flow, task
from prefect.cache_policies import INPUTS

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


# A day's result is kept by its input: the run after an outage finds the finished days done.
@task(cache_policy=INPUTS)
def daily_revenue(day: str) -> int:
    return write_day(day, lab_flow.read_orders(day))


@flow
def pipeline(start: str, end: str):
    return daily_revenue.map(lab_flow.days(start, end)).result()
