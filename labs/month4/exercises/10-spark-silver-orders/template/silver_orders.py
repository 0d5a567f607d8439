"""10 · PySpark track: silver.orders as a Spark job

Exercise 01 built silver.orders in SQL on one machine. When bronze outgrows one machine, the
same step runs as a Spark job on a cluster: the code below runs on Spark `local[2]` here and,
unchanged, on a hundred executors. Rebuild exercise 01's table with the DataFrame API.

solve() receives `spark` (the SparkSession) and `bronze_orders`, a Spark DataFrame of the raw
drops: columns `line` (the JSON text), `dt` (the drop day) and `file`. Return a DataFrame with
exactly 01's columns and rows — one row per order, its latest version (greatest updated_at),
bad lines left out (when an order's newest line is a bad one, its latest good line is the
version kept), both schema shapes (customer_id / customer) conformed:

  order_id bigint, customer_id bigint, status string, channel string (null in the old shape),
  ordered_at timestamp (the instant), updated_at timestamp, order_date date (UTC day of
  ordered_at)

Useful: pyspark.sql.functions as F — F.get_json_object(col, "$.field") (null when the line
does not parse), .cast("bigint") / .cast("timestamp") (null when the value is not one),
F.coalesce, F.to_date, and a Window with F.row_number() for the latest version. The session
time zone is UTC. Use DataFrame operations: a check rejects row loops (collect() and a for).

Check it: lab check month4 10      Stuck? lab hint month4 10
"""
from pyspark.sql import functions as F


def solve(spark, bronze_orders):
    # Starter: the old shape only, every version of every order.
    j = lambda field: F.get_json_object("line", f"$.{field}")  # noqa: E731
    return bronze_orders.select(
        j("order_id").cast("bigint").alias("order_id"),
        j("customer_id").cast("bigint").alias("customer_id"),
        j("status").alias("status"),
        F.lit(None).cast("string").alias("channel"),
        j("ordered_at").cast("timestamp").alias("ordered_at"),
        j("updated_at").cast("timestamp").alias("updated_at"),
        F.col("dt").cast("date").alias("order_date"),
    ).where(F.col("order_id").isNotNull())
