"""10: a Delta table restored to before a bad load, its small files compacted, the old ones vacuumed.

The lab has laid a Delta table of sales at `table_uri`, partitioned by sale_date, in six small
loads: each day's folder holds six small files. Then the nightly job ran twice: the table's last
version appended the last load once more, so its sales are there twice. Put the table back to the
version before that replay (a restore: the log keeps what happened), compact each day into one
file, and vacuum the files no current version uses. `DeltaTable(table_uri).history()` shows the
versions.
"""
from deltalake import DeltaTable


def solve(table_uri):
    table = DeltaTable(table_uri)
    print(table.history(limit=3))
