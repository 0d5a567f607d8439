# converts to UTC first: every hour shifts by that row's own offset
import pandas as pd


def solve(orders):
    latest = orders["updated_at"] == orders.groupby("order_id")["updated_at"].transform("max")
    current = orders[latest].drop_duplicates("order_id")
    current = current[current["status"] != "cancelled"]

    # In '2024-04-29T12:17:03+05:30' the text before the offset IS the customer's wall clock:
    # converting to UTC first would shift every hour by that row's own offset.
    local_hour = pd.to_datetime(current["ordered_at_local"], format="ISO8601", utc=True).dt.hour
    counts = local_hour.value_counts().reindex(range(24), fill_value=0)
    result = counts.rename_axis("hour").reset_index(name="orders")
    result["share"] = (result["orders"] / result["orders"].sum()).round(4)
    return result
