"""Wrong: the right rows, but the whole table rewritten to fix one day: every file replaced."""
import pyarrow as pa
import pyarrow.compute as pc
from pyiceberg.transforms import DayTransform


def solve(catalog, sales: pa.Table, sales_restated: pa.Table):
    table = catalog.create_table("shop.sales", schema=sales.schema)
    with table.update_spec() as spec:
        spec.add_field("sold_at", DayTransform(), "sold_at_day")
    table.append(sales)
    day = pc.floor_temporal(sales_restated["sold_at"], unit="day")[0]
    keep = sales.filter(pc.not_equal(pc.floor_temporal(sales["sold_at"], unit="day"), day))
    table.overwrite(pa.concat_tables([keep, sales_restated]))
