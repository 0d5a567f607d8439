"""Wrong: an upsert by sale_id corrects and adds sales, but the sale the stores took back stays."""
import pyarrow as pa
from pyiceberg.transforms import DayTransform


def solve(catalog, sales: pa.Table, sales_restated: pa.Table):
    table = catalog.create_table("shop.sales", schema=sales.schema)
    with table.update_spec() as spec:
        spec.add_field("sold_at", DayTransform(), "sold_at_day")
    table.append(sales)
    table.upsert(sales_restated, join_cols=["sale_id"])
