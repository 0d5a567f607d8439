"""Wrong: vacuum first, compact after: the files compaction replaces stay on disk."""
from deltalake import DeltaTable


def solve(table_uri):
    table = DeltaTable(table_uri)
    table.restore(table.version() - 1)
    table.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
    table.optimize.compact()
