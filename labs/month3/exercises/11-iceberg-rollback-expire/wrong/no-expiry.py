"""Wrong: rolled back, but every old snapshot (and the bad one) stays, with the files only they use."""


def solve(catalog):
    table = catalog.load_table("shop.sales")
    good = table.current_snapshot().parent_snapshot_id
    table.manage_snapshots().rollback_to_snapshot(good).commit()
