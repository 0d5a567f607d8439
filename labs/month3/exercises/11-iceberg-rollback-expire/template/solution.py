"""11: an Iceberg table rolled back past a bad delete, then its old snapshots expired.

The lab has laid `shop.sales` in `catalog`, appended week by week; then a cleanup job with a broken
filter deleted every day but the last, in the table's newest snapshot. Nothing is lost yet: the
snapshot before it still lists every data file. Make it the current snapshot again (a rollback:
no data rewritten), then expire every snapshot but the current one. `table.snapshots()` and
`table.current_snapshot()` show the log.
"""
from datetime import datetime, timezone


def solve(catalog):
    table = catalog.load_table("shop.sales")
    for snapshot in table.snapshots():
        print(snapshot.snapshot_id, snapshot.parent_snapshot_id, snapshot.summary.operation)
