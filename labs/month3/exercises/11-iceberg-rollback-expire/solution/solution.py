"""11: an Iceberg table rolled back past a bad delete, then its old snapshots expired."""
from datetime import datetime, timezone


def solve(catalog):
    table = catalog.load_table("shop.sales")
    # The snapshot before the bad delete still has every file: make it current again, nothing rewritten.
    good = table.current_snapshot().parent_snapshot_id
    table.manage_snapshots().rollback_to_snapshot(good).commit()
    # Every snapshot but the current one goes: their metadata, and the files only they use, can be cleaned.
    table.maintenance.expire_snapshots().older_than(datetime.now(timezone.utc)).commit()
