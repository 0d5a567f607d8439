"""Wrong: "not matched by source" without the day's bounds deletes every sale of every other day."""
import pyarrow as pa
from deltalake import DeltaTable


def solve(table_uri, sales_restated: pa.Table):
    (
        DeltaTable(table_uri)
        .merge(sales_restated, predicate="t.sale_id = s.sale_id", source_alias="s", target_alias="t")
        .when_matched_update_all()
        .when_not_matched_insert_all()
        .when_not_matched_by_source_delete()
        .execute()
    )
