"""Wrong: restored and vacuumed, but every day still reads six small files."""
from deltalake import DeltaTable


def solve(table_uri):
    table = DeltaTable(table_uri)
    table.restore(table.version() - 1)
    table.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
