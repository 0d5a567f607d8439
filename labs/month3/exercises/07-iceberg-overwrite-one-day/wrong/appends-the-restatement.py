"""Wrong: appending the restated day keeps the old version of every sale of that day beside the new one."""
import pyarrow as pa
from pyiceberg.transforms import DayTransform


def solve(catalog, sales: pa.Table, sales_restated: pa.Table):
    table = catalog.create_table("shop.sales", schema=sales.schema)
    with table.update_spec() as spec:
        spec.add_field("sold_at", DayTransform(), "sold_at_day")
    table.append(sales)
    table.append(sales_restated)
