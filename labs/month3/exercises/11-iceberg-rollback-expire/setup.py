"""What the lab lays before 11: shop.sales appended week by week, then a job's delete with a broken filter."""
import pyarrow as pa
import pyarrow.compute as pc
from pyiceberg.expressions import LessThan
from pyiceberg.transforms import DayTransform


def setup(catalog, sales: pa.Table):
    table = catalog.create_table("shop.sales", schema=sales.schema)
    with table.update_spec() as spec:
        spec.add_field("sold_at", DayTransform(), "sold_at_day")
    days = pc.floor_temporal(sales["sold_at"], unit="day")
    first = pc.min(days).as_py()
    week = pc.divide(pc.days_between(pa.scalar(first, type=days.type), days), 7)
    for w in sorted(set(week.to_pylist())):
        table.append(sales.filter(pc.equal(week, w)), snapshot_properties={"lab.setup": "true"})
    # The cleanup job meant "older than a year" and wrote "older than yesterday": every day but the last is gone.
    last = pc.max(days).as_py()
    table.delete(LessThan("sold_at", last.isoformat()), snapshot_properties={"lab.setup": "true", "lab.bad": "true"})
