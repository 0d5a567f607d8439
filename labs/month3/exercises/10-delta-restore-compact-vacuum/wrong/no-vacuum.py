"""Wrong: compacted, but the small files the table no longer uses are all still on disk."""
from deltalake import DeltaTable


def solve(table_uri):
    table = DeltaTable(table_uri)
    table.restore(table.version() - 1)
    table.optimize.compact()
