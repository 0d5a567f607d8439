# 09 · Spark: a skewed join, split (reference solution: adaptive execution's skew join)
from pyspark.sql import functions as F


def solve(spark, events, landing_orders):
    # The hot partition (customer 1's events) is split into pieces of about the advisory size, each
    # joined with a copy of the matching orders. The defaults (256MB, 64MB) suit a cluster, not this data.
    spark.conf.set("spark.sql.adaptive.skewJoin.enabled", "true")
    spark.conf.set("spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes", "64KB")
    spark.conf.set("spark.sql.adaptive.advisoryPartitionSizeInBytes", "64KB")

    # One row per order, placed at its first line (resent lines and later versions collapse).
    orders = landing_orders.groupBy("order_id", "customer_id").agg(F.min("updated_at").alias("placed_at"))
    window = (events.customer_id == orders.customer_id) & (events.ts <= orders.placed_at) & (events.ts > orders.placed_at - F.expr("INTERVAL 24 HOURS"))
    joined = events.join(orders, window)
    return joined.groupBy("order_id").agg(
        F.count("*").alias("clicks"),
        F.count(F.when(F.col("kind") == "cart", 1)).alias("carts"),
    )
