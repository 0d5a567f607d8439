"""07: an Iceberg table partitioned by day, hidden; a restated day replaced, the others untouched.

`catalog` is a pyiceberg SQL catalog (SQLite) of your own. Create the table `shop.sales` with the
columns of `sales`, partitioned by the day of `sold_at` (a partition transform: no extra column),
append `sales`, then replace the one day the stores restated with `sales_restated`: every sale of
that day as they re-sent it (some corrected, one taken back, one new). The other days' data files
must stay as they are: rewriting the whole table to fix one day is what table formats spare you.
"""
import pyarrow as pa


def solve(catalog, sales: pa.Table, sales_restated: pa.Table):
    table = catalog.create_table("shop.sales", schema=sales.schema)
    table.append(sales)
