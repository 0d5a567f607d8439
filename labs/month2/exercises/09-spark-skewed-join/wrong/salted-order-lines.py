# salts the join, but joins the order lines, not the orders: a resent line counts its clicks twice, a later version is placed again
from pyspark.sql import functions as F

SALTS = 8


def solve(spark, events, landing_orders):
    orders = landing_orders.select("order_id", "customer_id", F.col("updated_at").alias("placed_at"))
    salted_events = events.withColumn("salt", (F.col("event_id") % SALTS).cast("int"))
    salted_orders = orders.withColumn("salt", F.explode(F.sequence(F.lit(0), F.lit(SALTS - 1))))
    e, o = salted_events.alias("e"), salted_orders.alias("o")
    joined = e.join(
        o,
        (F.col("e.customer_id") == F.col("o.customer_id"))
        & (F.col("e.salt") == F.col("o.salt"))
        & (F.col("e.ts") <= F.col("o.placed_at"))
        & (F.col("e.ts") > F.col("o.placed_at") - F.expr("INTERVAL 24 HOURS")),
    )
    return joined.groupBy("o.order_id").agg(
        F.count("*").alias("clicks"),
        F.count(F.when(F.col("e.kind") == "cart", 1)).alias("carts"),
    )
