"""01 · From a cron script to a flow: a task per day, and a re-run that replaces

This is last year's cron job, wrapped in @flow and nothing more. Every night it computed the
shop's daily revenue, and whenever it was re-run (after a fix, after a crash) the numbers
doubled. Make it a DAG that is safe to run again:

  * one @task per day (the unit that fails, retries and re-runs alone);
  * each day's result is the partition out/daily_revenue/day=<day>/ (lab_flow.partition_dir):
    a run REPLACES what the day held, it never appends — run it twice, get the same files;
  * per day, one row (the day comes from the folder name):
        orders          the number of orders, counted once each
        revenue_cents   the sum of their amount_cents
    Read the drop with lab_flow.read_orders(day): the export resends lines (the same line
    twice) and sends an order again when it changes later the same day (shipped, a corrected
    amount, cancelled). Only an order's newest version (greatest updated_at) counts, and an
    order whose newest version is 'cancelled' counts in neither column.
  * `pipeline(start, end)` takes the first and last day ('YYYY-MM-DD', both included).

Run it:   lab run month2 01 --from 2024-03-01 --to 2024-03-03
Check it: lab check month2 01      Stuck? lab hint month2 01
"""
import os
import uuid

import pandas as pd
from prefect import flow

import lab_flow


@flow
def pipeline(start: str, end: str):
    for day in lab_flow.days(start, end):
        lines = lab_flow.read_orders(day)
        kept = lines[lines["status"] != "cancelled"]
        result = pd.DataFrame({"orders": [len(kept)], "revenue_cents": [int(kept["amount_cents"].sum())]})
        # Appends a new file every run, like the cron job's `>> revenue.csv`.
        result.to_parquet(os.path.join(lab_flow.partition_dir("daily_revenue", day), f"part-{uuid.uuid4().hex}.parquet"), index=False)
