# the right rows in one file, but not partitioned: a reader of one day reads every day
from pyspark.sql import Window
from pyspark.sql import functions as F


def solve(spark, landing_orders, output_dir):
    newest = Window.partitionBy("order_id").orderBy(F.col("updated_at").desc())
    current = landing_orders.withColumn("rn", F.row_number().over(newest)).where((F.col("rn") == 1) & (F.col("status") != "cancelled")).drop("rn", "line")
    current.coalesce(1).write.mode("overwrite").parquet(output_dir)
