# 08 · Spark: built-in functions instead of a Python UDF (reference solution)
from pyspark.sql import functions as F


def solve(spark, events):
    hour = F.hour("ts")  # the session time zone is UTC
    day_part = F.when(hour < 6, "night").when(hour < 12, "morning").when(hour < 18, "afternoon").otherwise("evening")
    amount = F.col("amount_cents")
    band = F.when(F.col("kind") != "buy", "none").when(amount < 1000, "small").when(amount < 10000, "medium").otherwise("large")
    labelled = events.select(day_part.alias("day_part"), band.alias("band"), "amount_cents")
    return labelled.groupBy("day_part", "band").agg(F.count("*").alias("events"), F.sum("amount_cents").alias("revenue_cents"))
