"""08: evolve an Iceberg table's schema in place: a column renamed, a column added, a batch appended.

The lab has laid the table `shop.sales` in `catalog`: a month of sales, appended week by week
(its snapshots are its history). The shop now says what `amount` means and where: rename it to
`amount_cents`, add a column `currency` (a string; the old sales have none, NULL), then append
`sales_with_currency` (its amount column is still called `amount`). Evolve the table the lab
laid: its old files must read under the new names, and its snapshots must stay.
"""
import pyarrow as pa


def solve(catalog, sales_with_currency: pa.Table):
    table = catalog.load_table("shop.sales")
    # TODO: rename amount to amount_cents, add currency, then append the new batch.
