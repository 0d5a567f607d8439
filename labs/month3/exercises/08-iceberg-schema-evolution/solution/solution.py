"""08: evolve an Iceberg table's schema in place: a column renamed, a column added, a batch appended."""
import pyarrow as pa
from pyiceberg.types import StringType


def solve(catalog, sales_with_currency: pa.Table):
    table = catalog.load_table("shop.sales")
    with table.update_schema() as schema:
        # A rename keeps the field id: every file written before reads under the new name.
        schema.rename_column("amount", "amount_cents")
        schema.add_column("currency", StringType())
    batch = sales_with_currency.rename_columns(["amount_cents" if c == "amount" else c for c in sales_with_currency.column_names])
    table.append(batch.select([f.name for f in table.schema().fields]))
