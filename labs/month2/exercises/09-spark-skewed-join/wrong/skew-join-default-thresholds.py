# turns the skew join on, but keeps the default thresholds (256MB): no partition of this data is that big, nothing is split
from pyspark.sql import functions as F


def solve(spark, events, landing_orders):
    spark.conf.set("spark.sql.adaptive.skewJoin.enabled", "true")
    orders = landing_orders.groupBy("order_id", "customer_id").agg(F.min("updated_at").alias("placed_at"))
    window = (events.customer_id == orders.customer_id) & (events.ts <= orders.placed_at) & (events.ts > orders.placed_at - F.expr("INTERVAL 24 HOURS"))
    joined = events.join(orders, window)
    return joined.groupBy("order_id").agg(
        F.count("*").alias("clicks"),
        F.count(F.when(F.col("kind") == "cart", 1)).alias("carts"),
    )
