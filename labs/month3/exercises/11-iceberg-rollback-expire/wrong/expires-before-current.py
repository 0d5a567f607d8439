"""Wrong: "older than the current snapshot" keeps the bad delete, which is newer than the snapshot rolled back to."""
from datetime import datetime, timezone


def solve(catalog):
    table = catalog.load_table("shop.sales")
    good = table.current_snapshot().parent_snapshot_id
    table.manage_snapshots().rollback_to_snapshot(good).commit()
    current = table.current_snapshot()
    table.maintenance.expire_snapshots().older_than(datetime.fromtimestamp(current.timestamp_ms / 1000, timezone.utc)).commit()
