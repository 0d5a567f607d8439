"""Wrong: a day column of its own to partition by: the rows carry a copy to keep in step, and a query on sold_at does not prune."""
import pyarrow as pa
import pyarrow.compute as pc
from pyiceberg.transforms import IdentityTransform


def with_day(t):
    return t.append_column("sale_day", pc.strftime(t["sold_at"], format="%Y-%m-%d"))


def solve(catalog, sales: pa.Table, sales_restated: pa.Table):
    table = catalog.create_table("shop.sales", schema=with_day(sales).schema)
    with table.update_spec() as spec:
        spec.add_field("sale_day", IdentityTransform(), "sale_day")
    table.append(with_day(sales))
    table.dynamic_partition_overwrite(with_day(sales_restated))
