"""Wrong: the right rows, in a table dropped and created again: its snapshots (its history) are gone."""
import pyarrow as pa
from pyiceberg.transforms import DayTransform


def solve(catalog, sales_with_currency: pa.Table):
    old = catalog.load_table("shop.sales").scan().to_arrow()
    old = old.rename_columns(["amount_cents" if c == "amount" else c for c in old.column_names])
    old = old.append_column("currency", pa.nulls(old.num_rows, pa.string()))
    new = sales_with_currency.rename_columns(["amount_cents" if c == "amount" else c for c in sales_with_currency.column_names])
    rows = pa.concat_tables([old, new.select(old.column_names).cast(old.schema)])
    catalog.drop_table("shop.sales")
    table = catalog.create_table("shop.sales", schema=rows.schema)
    with table.update_spec() as spec:
        spec.add_field("sold_at", DayTransform(), "sold_at_day")
    table.append(rows)
