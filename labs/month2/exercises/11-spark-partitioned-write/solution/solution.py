# 11 · Spark: partitioned by day, one file per day (reference solution)
from pyspark.sql import Window
from pyspark.sql import functions as F


def solve(spark, landing_orders, output_dir):
    newest = Window.partitionBy("order_id").orderBy(F.col("updated_at").desc())
    current = (
        landing_orders.withColumn("rn", F.row_number().over(newest))
        .where((F.col("rn") == 1) & (F.col("status") != "cancelled"))
        .drop("rn", "line")
    )
    (
        # One task per day: each day folder gets one file. Overwrite: the earlier run's files are replaced.
        current.repartition("day")
        .write.mode("overwrite")
        .partitionBy("day")
        .parquet(output_dir)
    )
