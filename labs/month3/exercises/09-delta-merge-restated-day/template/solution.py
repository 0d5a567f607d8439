"""09: a MERGE into a Delta table: the restated day's sales corrected, added and taken back.

The lab has laid a Delta table of sales at `table_uri` (a version per weekly load). The stores
re-sent one day, `sales_restated`: every sale of that day as they now stand — some amounts
corrected, one sale new, and one sale they took back (it is not in the restatement). Make the
table say so in one MERGE by sale_id: update what matches, insert what is new, delete that day's
sales the restatement no longer lists. Leave every other day as it is.
"""
import pyarrow as pa
from deltalake import DeltaTable


def solve(table_uri, sales_restated: pa.Table):
    table = DeltaTable(table_uri)
    # TODO: table.merge(sales_restated, predicate=..., source_alias="s", target_alias="t")...
