"""07: an Iceberg table partitioned by day, hidden; a restated day replaced, the others untouched."""
from datetime import timedelta

import pyarrow as pa
import pyarrow.compute as pc
from pyiceberg.expressions import And, GreaterThanOrEqual, LessThan
from pyiceberg.transforms import DayTransform


def solve(catalog, sales: pa.Table, sales_restated: pa.Table):
    table = catalog.create_table("shop.sales", schema=sales.schema)
    # Partitioned by the day of sold_at: no day column to keep in step, queries on sold_at prune.
    with table.update_spec() as spec:
        spec.add_field("sold_at", DayTransform(), "sold_at_day")
    table.append(sales)
    # The restated day's partition is replaced as a whole; every other day keeps its files.
    day = pc.min(pc.floor_temporal(sales_restated["sold_at"], unit="day")).as_py()
    table.overwrite(
        sales_restated,
        overwrite_filter=And(GreaterThanOrEqual("sold_at", day.isoformat()), LessThan("sold_at", (day + timedelta(days=1)).isoformat())),
    )
