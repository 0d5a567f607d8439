"""06 · An outage: fail loudly, then resume where it stopped

Tonight the export service is down for one day's data (lab_flow.read_orders raises
lab_flow.SourceUnavailable for it, however often you retry). Tomorrow it is back, and you
run the flow again. Two lessons at once:
  * the run during the outage must FAIL: a run that catches the error and completes says
    "all good" with a day missing — nobody looks again. The other days still go on and are
    written (they do not depend on the broken one);
  * the run after must RESUME, not redo: the days the failed run finished are not read from
    the source again (on a year of data that is the difference between minutes and a night).
    Prefect can remember a task's result by its inputs — @task(cache_policy=INPUTS), from
    prefect.cache_policies — or the task can see that its day is already complete;
  * in the end, the same partitions as exercise 01.

Run it:   lab run month2 06
Check it: lab check month2 06      Stuck? lab hint month2 06
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
    return daily_revenue.map(lab_flow.days(start, end)).result()
