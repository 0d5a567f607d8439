"""What the lab lays before 10: a Delta table partitioned by sale_date, written in six small loads, then a replayed load."""
import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, write_deltalake

LOADS = 6


def setup(table_uri, sales: pa.Table):
    sales = sales.append_column("sale_date", pc.cast(pc.floor_temporal(sales["sold_at"], unit="day"), pa.date32()))
    load = pc.subtract(sales["sale_id"], pc.multiply(pc.divide(sales["sale_id"], LOADS), LOADS))
    for i in range(LOADS):
        part = sales.filter(pc.equal(load, i))
        write_deltalake(table_uri, part, mode="append", partition_by=["sale_date"], commit_properties=CommitProperties(custom_metadata={"lab.setup": "true"}))
    # The nightly job ran twice: the last load, once more (every one of its sales twice now).
    replayed = sales.filter(pc.equal(load, LOADS - 1))
    write_deltalake(table_uri, replayed, mode="append", partition_by=["sale_date"], commit_properties=CommitProperties(custom_metadata={"lab.setup": "true", "lab.replayed": "true"}))
