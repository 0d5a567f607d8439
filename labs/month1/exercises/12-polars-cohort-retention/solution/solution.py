# 12 · polars: cohort retention (reference solution)
import polars as pl


def solve(orders):
    current = (
        orders.filter(pl.col("updated_at") == pl.col("updated_at").max().over("order_id"))
        .unique("order_id")
        .filter(pl.col("status") != "cancelled")
        .select("customer_id", month=pl.col("ordered_at").dt.truncate("1mo").dt.date())
    )
    cohorts = current.group_by("customer_id").agg(cohort_month=pl.col("month").min())
    sizes = cohorts.group_by("cohort_month").agg(cohort_size=pl.len())
    return (
        current.join(cohorts, on="customer_id")
        .with_columns(
            months_since=(pl.col("month").dt.year() - pl.col("cohort_month").dt.year()) * 12
            + pl.col("month").dt.month()
            - pl.col("cohort_month").dt.month()
        )
        # n_unique: a customer with several orders in a month is one active customer
        .group_by("cohort_month", "months_since")
        .agg(active_customers=pl.col("customer_id").n_unique())
        .join(sizes, on="cohort_month")
        .with_columns(retention=(pl.col("active_customers") / pl.col("cohort_size")).round(4))
        .select("cohort_month", "months_since", "cohort_size", "active_customers", "retention")
    )
