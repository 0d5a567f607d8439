"""09 · Spark: a skewed join, split

Attribution: what did a customer do on the site in the day before they ordered? For each order,
count its customer's events in the 24 hours before it was placed.

solve() receives `spark`, `events` (event_id, customer_id, kind 'view' | 'cart' | 'buy',
amount_cents, ts) and `landing_orders` (the raw order lines: day, line, order_id, customer_id,
status, amount_cents, updated_at). Return one row per order that has at least one such event
(orders without any are left out), with the columns:

  order_id  string
  clicks    bigint  the events of the order's customer with placed_at - 24 hours < ts <=
                    placed_at, where placed_at is when the order was placed: the updated_at
                    of its FIRST line
  carts     bigint  how many of those are of kind 'cart'

Watch the input:
  * landing_orders is the export: an order has a line per version (shipped, corrected,
    cancelled: later the same day), and the export resends some lines. Each order counts once,
    placed at its first updated_at; cancelled orders count too.

The lesson is the join. customer_id 1 is a scraper behind one account: a third of all events.
A shuffle join sends every row of a key to one partition, so one task gets a third of the
events while the other tasks finish and wait (on a cluster: one executor works for hours, or
runs out of memory). This exercise runs with broadcast joins off
(spark.sql.autoBroadcastJoinThreshold = -1) and adaptive skew handling off. Any of these
fixes passes, read in the plan Spark executed:
  * adaptive execution's skew join: turn it on inside solve() with spark.conf.set(...)
    (spark.sql.adaptive.skewJoin.enabled), with its thresholds
    (spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes, and the size of a split,
    spark.sql.adaptive.advisoryPartitionSizeInBytes) below this data's sizes — the defaults
    (256MB, 64MB) are made for a cluster. The plan then shows SortMergeJoin(skew=true).
  * salting: add a salt column to the join keys, spread over the skewed side's rows
    (e.g. event_id % 8) and exploded over every salt value on the other side.
  * a broadcast of the orders, which are small here (as in exercise 07); on a cluster where
    both sides are big, the two above are what is left.
Settings you change with spark.conf.set last for this run only.

Check it: lab check month2 09      Stuck? lab hint month2 09
"""
from pyspark.sql import functions as F


def solve(spark, events, landing_orders):
    # Starter: every order line joined as if it were an order, on a plain shuffle join.
    orders = landing_orders.select("order_id", "customer_id", F.col("updated_at").alias("placed_at"))
    joined = events.join(
        orders,
        (events.customer_id == orders.customer_id) & (events.ts <= orders.placed_at) & (events.ts > orders.placed_at - F.expr("INTERVAL 24 HOURS")),
    )
    return joined.groupBy("order_id").agg(
        F.count("*").alias("clicks"),
        F.count(F.when(F.col("kind") == "cart", 1)).alias("carts"),
    )
