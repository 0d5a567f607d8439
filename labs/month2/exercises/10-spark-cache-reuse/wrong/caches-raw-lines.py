# caches the raw lines, not the current orders: the deduplication still runs twice, after the cache
from pyspark.sql import Window
from pyspark.sql import functions as F


def solve(spark, landing_orders):
    lines = landing_orders.cache()
    newest = Window.partitionBy("order_id").orderBy(F.col("updated_at").desc())
    current = (
        lines.withColumn("rn", F.row_number().over(newest))
        .where((F.col("rn") == 1) & (F.col("status") != "cancelled"))
        .drop("rn")
    )
    per_day = current.groupBy("day").agg(F.count("*").alias("orders"), F.sum("amount_cents").alias("revenue_cents"))
    first_days = current.groupBy("customer_id").agg(F.min("day").alias("day"))
    new_per_day = first_days.groupBy("day").agg(F.count("*").alias("new_customers"))
    return per_day.join(new_per_day, "day", "left").fillna(0, subset=["new_customers"])
