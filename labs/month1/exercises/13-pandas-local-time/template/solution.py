"""13 · pandas: mixed time zones

The shop sells worldwide and staffing wants to know when customers order by THEIR clock:
how many orders are placed in each hour of the customer's local day.
solve() receives the table `orders` as a pandas DataFrame.

Watch the input:
  * `orders` is the CDC export of exercise 01: several rows per order_id, some exported twice.
    Use each order's CURRENT version (the greatest updated_at) and leave out the orders whose
    current status is 'cancelled'.
  * `ordered_at` is the instant in UTC (datetime64[us, UTC]). `ordered_at_local` is text in the
    customer's own UTC offset, different from row to row: '2024-04-29T12:17:03+05:30',
    '2024-12-03T05:57:22Z', '2024-11-29T12:45:11-08:00'. The local hour of the first one is 12;
    its UTC hour is 6.

Return 24 rows, one per local hour of day, with the columns:
  hour    0..23, the hour of the customer's wall clock when they ordered
  orders  number of orders placed in that local hour (0 when there were none)
  share   orders / all orders, rounded to 4 decimals with .round(4)
Ordered by hour, with a default index (any other index is written out as a column:
reset_index(drop=True) after sorting).

Use vectorized column operations (the .str and .dt accessors, value_counts or groupby):
a check rejects for/while loops, iterrows(), itertuples() and apply(axis=1).

Check it: lab check month1 13      Stuck? lab hint month1 13
"""
import pandas as pd


def solve(orders):
    # Starter: every row of the export counts, and utc=True turns every timestamp into UTC.
    hour = pd.to_datetime(orders["ordered_at_local"], utc=True).dt.hour
    result = hour.value_counts().sort_index().rename_axis("hour").reset_index(name="orders")
    result["share"] = (result["orders"] / result["orders"].sum()).round(4)
    return result
