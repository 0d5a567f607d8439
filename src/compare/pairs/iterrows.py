"""The two sides of `lab compare iterrows`: the same top 20 customers by paid revenue."""
import os

import pandas as pd

TOP = 20


def open_orders(ctx):
    # Loading is not the work being compared: both sides start from the same DataFrame.
    return pd.read_parquet(os.path.join(ctx["dir"], "orders.parquet"), columns=["customer_id", "status", "amount_cents", "qty"])


def _top(revenue):
    return [[int(c), int(r)] for c, r in sorted(revenue.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]]


def revenue_by_loop(df):
    revenue = {}
    for _, row in df.iterrows():
        if row["status"] != "paid":
            continue
        revenue[row["customer_id"]] = revenue.get(row["customer_id"], 0) + row["amount_cents"] * row["qty"]
    return _top(revenue)


def revenue_vectorized(df):
    paid = df[df["status"] == "paid"]
    revenue = (paid["amount_cents"].astype("int64") * paid["qty"]).groupby(paid["customer_id"]).sum()
    return _top(revenue.to_dict())
