"""Wrong: the right rows, by rewriting the whole table: every file replaced, and no MERGE in the log."""
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable, write_deltalake


def solve(table_uri, sales_restated: pa.Table):
    current = DeltaTable(table_uri).to_pyarrow_table()
    day = pc.min(pc.floor_temporal(sales_restated["sold_at"], unit="day"))
    keep = current.filter(pc.not_equal(pc.floor_temporal(current["sold_at"], unit="day"), day))
    write_deltalake(table_uri, pa.concat_tables([keep, sales_restated.cast(keep.schema)]), mode="overwrite")
