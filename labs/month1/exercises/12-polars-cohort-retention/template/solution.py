"""12 · polars: cohort retention

Growth wants the classic retention triangle: group customers by the month of their first
order (their cohort) and see how many of them are still ordering 1, 2, 3 … months later.
solve() receives the table `orders` as a polars DataFrame.

Watch the input:
  * `orders` is the CDC export of exercise 01: several rows per order_id, some exported twice.
    Use each order's CURRENT version (the greatest updated_at) and leave out the orders whose
    current status is 'cancelled' (returned orders still count).
  * `ordered_at` is Datetime(us, UTC); months are calendar months in UTC.

A customer's cohort is the month of their first such order. A customer is active in a month
when they have at least one such order in it; months_since counts calendar months from the
cohort (an order on 31 Jan and one on 1 Feb are 1 month apart).

Return one row per (cohort, months_since) with at least one active customer:
  cohort_month      Date: the first day of the cohort's month
  months_since      integer, 0 for the cohort's own month
  cohort_size       customers in the cohort
  active_customers  customers of the cohort active in month cohort_month + months_since
  retention         active_customers / cohort_size, rounded to 4 decimals with .round(4)
Any row order.

Use polars expressions (filter with .over(), group_by/agg, join, dt.truncate("1mo")):
a check rejects for/while loops, iter_rows() and map_elements().

Check it: lab check month1 12      Stuck? lab hint month1 12
"""
import polars as pl


def solve(orders):
    # Starter: cohorts computed from every row of the export, and only each cohort's first month.
    months = orders.select("customer_id", month=pl.col("ordered_at").dt.truncate("1mo").dt.date())
    cohorts = months.group_by("customer_id").agg(cohort_month=pl.col("month").min())
    return (
        cohorts.group_by("cohort_month")
        .agg(cohort_size=pl.len())
        .with_columns(months_since=pl.lit(0), active_customers=pl.col("cohort_size"), retention=pl.lit(1.0))
        .select("cohort_month", "months_since", "cohort_size", "active_customers", "retention")
    )
