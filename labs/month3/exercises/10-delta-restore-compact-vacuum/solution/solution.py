"""10: a Delta table restored to before a bad load, its small files compacted, the old ones vacuumed."""
from deltalake import DeltaTable


def solve(table_uri):
    table = DeltaTable(table_uri)
    # The last version replayed a load: go back to the one before it (time travel, kept in the log).
    table.restore(table.version() - 1)
    # Six loads left six small files in every day's folder: one per day reads faster.
    table.optimize.compact()
    # Files no current version needs are still on disk: remove them (no reader needs old versions here).
    table.vacuum(retention_hours=0, enforce_retention_duration=False, dry_run=False)
