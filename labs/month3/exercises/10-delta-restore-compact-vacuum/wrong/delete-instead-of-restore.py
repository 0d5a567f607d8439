"""Wrong: deleting by hand what the replay added deletes the first copy of those sales too."""
from deltalake import DeltaTable


def solve(table_uri):
    table = DeltaTable(table_uri)
    table.delete("sale_id % 6 = 5")
    table.optimize.compact()
    table.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
