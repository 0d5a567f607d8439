"""Wrong: the right rows, copied into a new snapshot instead of rolling back: every file written again."""
from datetime import datetime, timezone


def solve(catalog):
    table = catalog.load_table("shop.sales")
    good = table.current_snapshot().parent_snapshot_id
    rows = table.scan(snapshot_id=good).to_arrow()
    table.overwrite(rows)
    table.maintenance.expire_snapshots().older_than(datetime.now(timezone.utc)).commit()
