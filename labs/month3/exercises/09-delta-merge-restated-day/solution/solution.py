"""09: a MERGE into a Delta table: the restated day's sales corrected, added and taken back."""
from datetime import timedelta

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable


def solve(table_uri, sales_restated: pa.Table):
    day = pc.min(pc.floor_temporal(sales_restated["sold_at"], unit="day")).as_py()
    start, end = day.isoformat(), (day + timedelta(days=1)).isoformat()
    (
        DeltaTable(table_uri)
        .merge(sales_restated, predicate="t.sale_id = s.sale_id", source_alias="s", target_alias="t")
        .when_matched_update_all()
        .when_not_matched_insert_all()
        # A sale of that day the restatement no longer lists was taken back.
        .when_not_matched_by_source_delete(predicate=f"t.sold_at >= '{start}' AND t.sold_at < '{end}'")
        .execute()
    )
