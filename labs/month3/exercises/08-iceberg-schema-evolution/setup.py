"""What the lab lays before 08: the table shop.sales as a month of appends left it (one snapshot per week)."""
import pyarrow as pa
import pyarrow.compute as pc
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
