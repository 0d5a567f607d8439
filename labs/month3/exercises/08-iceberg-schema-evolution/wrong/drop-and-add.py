"""Wrong: dropping amount and adding amount_cents makes a new field: every old sale loses its amount."""
import pyarrow as pa
from pyiceberg.types import LongType, StringType


def solve(catalog, sales_with_currency: pa.Table):
    table = catalog.load_table("shop.sales")
    with table.update_schema() as schema:
        schema.delete_column("amount")
        schema.add_column("amount_cents", LongType())
        schema.add_column("currency", StringType())
    batch = sales_with_currency.rename_columns(["amount_cents" if c == "amount" else c for c in sales_with_currency.column_names])
    table.append(batch.select([f.name for f in table.schema().fields]))
