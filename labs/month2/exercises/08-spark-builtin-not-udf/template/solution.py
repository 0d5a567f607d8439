"""08 · Spark: built-in functions instead of a Python UDF

The growth team's report: events and revenue by part of the day and by size of purchase. A
backend engineer wrote it the way they would write a service: two small Python functions,
registered as UDFs. It gives the right rows, and it is the slow way. Rewrite it with Spark's
built-in functions, same rows.

solve() receives `spark` and `events` (event_id, customer_id, kind 'view' | 'cart' | 'buy',
amount_cents (0 unless a buy), ts). The session time zone is UTC. Return one row per
(day_part, band) that has events, with the columns:

  day_part       string  by the UTC hour of ts: 'night' 00:00–05:59, 'morning' 06:00–11:59,
                         'afternoon' 12:00–17:59, 'evening' 18:00–23:59
  band           string  'none' for views and carts; for buys, by amount_cents: 'small' below
                         1000, 'medium' 1000 to 9999, 'large' 10000 and more
  events         bigint  number of events
  revenue_cents  bigint  sum of amount_cents

Watch the boundaries: 06:00 is morning and 18:00 is evening; a buy of exactly 1000 is medium.

Why: a Python UDF runs outside the JVM. Spark ships every row to a Python worker process,
converts it, calls the function, and ships the answer back (a BatchEvalPython node in the plan;
a pandas_udf is the same trip in Arrow batches: ArrowEvalPython). And the optimizer cannot see
inside it. F.hour, F.when/otherwise and comparisons run in the JVM, compiled into the stage.
A check reads the plan Spark executed and rejects any Python step in it.

Check it: lab check month2 08      Stuck? lab hint month2 08
"""
from pyspark.sql import functions as F
from pyspark.sql.functions import udf


@udf("string")
def day_part(ts):
    hour = ts.hour
    if hour < 6:
        return "night"
    if hour < 12:
        return "morning"
    if hour < 18:
        return "afternoon"
    return "evening"


@udf("string")
def band(kind, amount_cents):
    if kind != "buy":
        return "none"
    if amount_cents < 1000:
        return "small"
    if amount_cents < 10000:
        return "medium"
    return "large"


def solve(spark, events):
    # Starter: the right rows, through two Python UDFs.
    labelled = events.select(
        day_part("ts").alias("day_part"),
        band("kind", "amount_cents").alias("band"),
        "amount_cents",
    )
    return labelled.groupBy("day_part", "band").agg(F.count("*").alias("events"), F.sum("amount_cents").alias("revenue_cents"))
