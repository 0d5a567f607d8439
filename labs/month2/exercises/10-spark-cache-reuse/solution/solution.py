# 10 · Spark: cache the frame you use twice (reference solution)
from pyspark.sql import Window
from pyspark.sql import functions as F


def solve(spark, landing_orders):
    newest = Window.partitionBy("order_id").orderBy(F.col("updated_at").desc())
    current = (
        landing_orders.withColumn("rn", F.row_number().over(newest))
        .where((F.col("rn") == 1) & (F.col("status") != "cancelled"))
        .drop("rn")
        # Used twice below: computed once, kept in memory (the harness clears the cache after the run).
        .cache()
    )
    per_day = current.groupBy("day").agg(F.count("*").alias("orders"), F.sum("amount_cents").alias("revenue_cents"))
    first_days = current.groupBy("customer_id").agg(F.min("day").alias("day"))
    new_per_day = first_days.groupBy("day").agg(F.count("*").alias("new_customers"))
    return per_day.join(new_per_day, "day", "left").fillna(0, subset=["new_customers"])
