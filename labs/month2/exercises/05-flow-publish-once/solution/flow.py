"""05 · reference: the publish step under the server's global concurrency limit."""
import os
import uuid

import pandas as pd
from prefect import flow, task
from prefect.concurrency.sync import concurrency

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
    # One slot on the server: publishes of every flow run take turns.
    with concurrency("summary", occupy=1):
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
