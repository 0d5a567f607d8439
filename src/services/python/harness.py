"""Runs a learner's `solve()` from a Python exercise file on parquet inputs and writes its result.

Usage: harness.py run  MODULE LIBRARY TIMEOUT_S INPUT_DIR OUTPUT_FILE [INPUT_DIR OUTPUT_FILE ...]
       harness.py lint MODULE
One process runs every (input, output) job in order, so the interpreter and imports start once;
each job gets TIMEOUT_S seconds.
PySpark jobs each run in a session of their own (the exercise's Spark confs on top of the
process's, dropped with the session); the executed physical plan of the result's write, as
Spark's final adaptive plan, is written beside the output as OUTPUT_FILE.plan.
`solve`'s parameter names are the tables it receives. Errors go to stderr as one JSON object
with the line in the learner's file, so the runner can print "file:line: message".
"""
import ast
import contextlib
import io
import signal
import inspect
import json
import os
import sys
import time
import traceback
import importlib.util

# Calls that iterate row by row: the backend habit this lab trains away.
ROW_LOOP_CALLS = {
    "iterrows": "DataFrame.iterrows()",
    "itertuples": "DataFrame.itertuples()",
    "iter_rows": "DataFrame.iter_rows()",
    "map_rows": "DataFrame.map_rows()",
    "map_elements": "Series.map_elements()",
    "applymap": "DataFrame.applymap()",
}


class HarnessFailure(Exception):
    """A solution that did not run: reported as one JSON object with the line in the learner's file."""

    def __init__(self, error):
        super().__init__(error["message"])
        self.error = error


def fail(kind, message, module_path, line=None, tb=None):
    error = {"kind": kind, "message": message, "file": module_path, "line": line}
    if tb is not None:
        error["traceback"] = "".join(traceback.format_exception(type(tb), tb, tb.__traceback__))[-4000:]
    raise HarnessFailure(error)


def report_and_exit(error, code=3):
    sys.stderr.write(json.dumps(error) + "\n")
    sys.exit(code)


def mark(**event):
    """A control line for the runner (a job started): on stderr, behind a record separator."""
    # A line of its own: a library's progress bar may have left the current line unfinished.
    sys.stderr.write("\n\x1e" + json.dumps(event) + "\n")
    sys.stderr.flush()


def is_literal_collection(node):
    """A literal list, tuple, set or dict (`for col, kind in [("a", int), ("b", str)]`): a loop over a few names, not over rows."""
    return isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)) or (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("items", "keys", "values") and isinstance(node.func.value, ast.Dict)
    )


def lint(module_path):
    """Finds row loops: for/while loops and row-wise calls such as iterrows() or apply(axis=1)."""
    with open(module_path, encoding="utf-8") as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=module_path)
    except SyntaxError as e:
        report_and_exit({"kind": "SyntaxError", "message": e.msg, "file": module_path, "line": e.lineno})
    findings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.For) and is_literal_collection(node.iter):
            continue
        if isinstance(node, (ast.For, ast.While)):
            findings.append({"line": node.lineno, "what": f"a `{type(node).__name__.lower()}` loop"})
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in ROW_LOOP_CALLS:
                findings.append({"line": node.lineno, "what": ROW_LOOP_CALLS[name]})
            elif name == "apply" and any(
                k.arg == "axis" and isinstance(k.value, ast.Constant) and k.value.value in (1, "columns") for k in node.keywords
            ):
                findings.append({"line": node.lineno, "what": "DataFrame.apply(axis=1)"})
    print(json.dumps(findings))


def learner_line(tb, module_path):
    """The deepest traceback frame inside the learner's file."""
    line = None
    for frame in traceback.extract_tb(tb):
        if os.path.abspath(frame.filename) == os.path.abspath(module_path):
            line = frame.lineno
    return line


class SolveTimeout(Exception):
    pass


def on_alarm(signum, frame):
    raise SolveTimeout()


def spark_session():
    """A local Spark for PySpark solutions: two cores, UTC, no UI, Parquet timestamps DuckDB reads."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("lakehouse-lab")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def plan_or_none(read):
    """The executed plan, or None when this Spark cannot say (the plan checks then say so)."""
    try:
        return read()
    except Exception as e:
        sys.stderr.write(f"could not read the executed plan: {e}\n")
        return None


def configure_job_session(session, spark_conf):
    # The executed plan is read back as text from Spark's SQL status store: the tree form of explain().
    session.conf.set("spark.sql.ui.explainMode", "simple")
    # A scan's Location names the table's file in full (by default it is cut at 100 characters).
    session.conf.set("spark.sql.maxMetadataStringLength", "1000")
    for key, value in (spark_conf or {}).items():
        session.conf.set(key, str(value))
    return session


class LocalSpark:
    """Spark local[2] in this process's JVM. Each job runs in a session of its own: the exercise's
    confs, and whatever solve() sets, end with it. The cache is the process's: emptied after each job."""

    def __init__(self):
        self.spark = spark_session()
        self.writes = 0

    @property
    def DataFrame(self):
        from pyspark.sql import DataFrame

        return DataFrame

    def activate(self):
        # A Spark Connect request before this one may have left PySpark routed to its server.
        os.environ.pop("SPARK_CONNECT_MODE_ENABLED", None)
        os.environ.pop("SPARK_REMOTE", None)

    def session(self, spark_conf):
        session = configure_job_session(self.spark.newSession(), spark_conf)
        session._jvm.org.apache.spark.sql.SparkSession.setActiveSession(session._jsparkSession)
        return session

    def end(self, session):
        try:
            # A job stopped at its time limit may still run in the JVM: the next one gets the cores.
            self.spark.sparkContext.cancelAllJobs()
            session.catalog.clearCache()
            session._jvm.org.apache.spark.sql.SparkSession.setActiveSession(self.spark._jsparkSession)
        except Exception:  # the job's own error is the one to report
            pass

    def write(self, result, out_dir):
        """Writes the result to out_dir; returns the plan that write executed (None if Spark did not say)."""
        self.writes += 1
        description = f"lakehouse-lab result {self.writes}"
        sc = result.sparkSession.sparkContext
        sc.setJobDescription(description)
        try:
            result.coalesce(1).write.mode("overwrite").parquet(out_dir)
        finally:
            sc.setJobDescription(None)
        return plan_or_none(lambda: executed_plan(result.sparkSession, description))


def executed_plan(spark, description):
    """The physical plan Spark executed for the SQL execution with this description, as explain() prints
    it; with adaptive execution, the final plan (its skew splits, the joins it replanned) above the
    initial one. A write runs its own query execution, so the result DataFrame's plan would not be
    the executed one: the status store records the one that ran, updated as adaptive execution replans."""
    sc = spark.sparkContext._jsc.sc()
    # The status store is a listener: it has the final plan once the events before now are delivered.
    sc.listenerBus().waitUntilEmpty()
    store = spark._jsparkSession.sharedState().statusStore()
    count = store.executionsCount()
    recent = store.executionsList(max(0, count - 20), 20)
    for i in range(recent.size() - 1, -1, -1):
        execution = recent.apply(i)
        if execution.description() == description:
            return execution.physicalPlanDescription()
    return None


class SparkConnectServer:
    """A Spark Connect server on the stack (the docker runtime), with the same face as LocalSpark: each
    job gets a session of its own there; its web UI's REST API gives the plan each write executed (the
    client has no JVM to ask)."""

    def __init__(self, url, ui):
        self.url = url
        self.ui = ui.rstrip("/") if ui else None
        self.seen = 0  # executions already read from the UI: a write's is one of the newer ones

    @property
    def DataFrame(self):
        from pyspark.sql.connect.dataframe import DataFrame

        return DataFrame

    def activate(self):
        # PySpark routes functions (udf, pandas_udf…) and builders to Spark Connect by these, already at import.
        os.environ["SPARK_CONNECT_MODE_ENABLED"] = "1"
        os.environ["SPARK_REMOTE"] = self.url

    def session(self, spark_conf):
        from pyspark.sql import SparkSession

        return configure_job_session(SparkSession.builder.remote(self.url).create(), spark_conf)

    def end(self, session):
        try:
            session.interruptAll()
            session.catalog.clearCache()
            session.stop()
        except Exception:  # the job's own error is the one to report
            pass

    def write(self, result, out_dir):
        # The server writes into the lab's folder, which the stack mounts at the same path.
        result.coalesce(1).write.mode("overwrite").parquet(out_dir)
        return plan_or_none(lambda: self.executed_plan(out_dir))

    def _get(self, path):
        import urllib.request

        with urllib.request.urlopen(self.ui + path, timeout=10) as r:
            return json.loads(r.read().decode("utf-8"))

    def executed_plan(self, written_path, timeout_s=20):
        """The plan of the execution that wrote `written_path`, once it has ended (its final adaptive plan)."""
        if not self.ui:
            return None
        deadline = time.time() + timeout_s
        app = self._get("/api/v1/applications")[0]["id"]
        while True:
            found = None
            offset = self.seen
            while True:
                page = self._get(f"/api/v1/applications/{app}/sql?details=false&planDescription=true&offset={offset}&length=100")
                for execution in page:
                    if written_path in (execution.get("planDescription") or ""):
                        found = execution
                offset += len(page)
                if len(page) < 100:
                    break
            if found is not None and found.get("status") in ("COMPLETED", "FAILED"):
                self.seen = max(self.seen, offset - 20)
                return found["planDescription"]
            if time.time() > deadline:
                return None
            time.sleep(0.2)


LIBRARIES = {}
RUNS = [0]


def library_of(library, spark_remote=None):
    """The DataFrame library (for PySpark: where it runs), loaded once per process: a warm process serves every exercise of a check."""
    key = f"{library}@{spark_remote['url']}" if library == "pyspark" and spark_remote else library
    if key not in LIBRARIES:
        if library == "pandas":
            import pandas as lib
        elif library == "pyarrow":
            import pyarrow as lib
        elif library == "pyspark" and spark_remote:
            lib = SparkConnectServer(spark_remote["url"], spark_remote.get("ui"))
        elif library == "pyspark":
            lib = LocalSpark()
        else:
            import polars as lib
        LIBRARIES[key] = lib
    return LIBRARIES[key]


def run(module_path, library, timeout_s, jobs, spark_conf=None, spark_remote=None, table=None):
    lib = library_of(library, spark_remote)
    if library == "pyspark":
        lib.activate()
    RUNS[0] += 1
    spec = importlib.util.spec_from_file_location(f"solution_{RUNS[0]}", module_path)
    module = importlib.util.module_from_spec(spec)
    # What the learner prints goes to a file per job, shown under the exercise (the module's own prints: the first job's).
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            spec.loader.exec_module(module)
    except SyntaxError as e:
        fail("SyntaxError", e.msg, module_path, e.lineno)
    except Exception as e:  # the learner's module failed while importing
        fail(type(e).__name__, str(e), module_path, learner_line(e.__traceback__, module_path), tb=e)
    finally:
        if jobs:
            write_printed(jobs[0][1], printed.getvalue())
    solve = getattr(module, "solve", None)
    if not callable(solve):
        fail("MissingSolve", "the file must define a function `solve(...)` that returns a DataFrame", module_path)
    signal.signal(signal.SIGALRM, on_alarm)
    for index, (input_dir, output_file) in enumerate(jobs):
        session = lib.session(spark_conf) if library == "pyspark" else lib
        try:
            run_job(module_path, library, timeout_s, solve, session, index, input_dir, output_file, printed, lib, table)
        finally:
            if library == "pyspark":
                lib.end(session)


def run_job(module_path, library, timeout_s, solve, lib, index, input_dir, output_file, printed, spark=None, table=None):
    """One (input, output) job: solve() on the input tables, its result written within the time limit."""
    args = {}
    handles = table_handles(table, output_file) if table else {}
    names = list(inspect.signature(solve).parameters)
    if table and table.get("setup"):
        # The lab lays the table's earlier history first (its own code, not the learner's).
        setup = load_module(table["setup"], "lab_setup")
        wanted = inspect.signature(setup.setup).parameters
        setup.setup(**{n: handles[n] if n in handles else read_table(lib, library, os.path.join(input_dir, f"{n}.parquet")) for n in wanted})
    for name in names:
        if name in handles:
            args[name] = handles[name]
            continue
        if name == "spark" and library == "pyspark":
            args[name] = lib
            continue
        if name == "output_dir":
            # A writing exercise: the folder the grader prepared (it may hold an earlier run's files).
            args[name] = output_file + ".dataset"
            continue
        path = os.path.join(input_dir, f"{name}.parquet")
        if not os.path.exists(path):
            available = sorted(p[: -len(".parquet")] for p in os.listdir(input_dir) if p.endswith(".parquet"))
            fail("UnknownTable", f"solve() asks for `{name}`, but the tables are: {', '.join(available)}", module_path)
        args[name] = read_table(lib, library, path)
    mark(start=index)
    printed = io.StringIO(printed.getvalue() if index == 0 else "")
    signal.setitimer(signal.ITIMER_REAL, timeout_s)
    try:
        with contextlib.redirect_stdout(printed):
            result = solve(**args)
            if table:
                # The table is the result: its rows, and what its metadata says of each step.
                inspect_table(table, handles, output_file)
            elif "output_dir" in args:
                # What solve() wrote is the result: the grader reads the folder; this file says it finished.
                open(output_file, "w").close()
            else:
                # Spark is lazy: the work happens when the result is written, inside the same limit.
                write_result(lib, library, result, output_file, module_path, spark)
    except SolveTimeout:
        fail("Timeout", f"solve() was still running after {timeout_s:g} s", module_path)
    except HarnessFailure:
        raise
    except Exception as e:
        fail(type(e).__name__, str(e).split("\n")[0][:500], module_path, learner_line(e.__traceback__, module_path), tb=e)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        write_printed(output_file, printed.getvalue())
        if table and handles:
            release_table(table, handles)


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table_handles(table, output_file):
    """What solve() gets to write its table with: an Iceberg catalog (SQLite in a folder of its own;
    on containers the stack's REST catalog, its files in MinIO), or a Delta table's path (a folder;
    on containers a prefix in MinIO)."""
    import shutil

    root = output_file + ".table"
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(root)
    stack = table.get("stack")
    if stack:
        use_object_store(stack["s3"])
    if table["format"] == "iceberg":
        namespace = table["identifier"].split(".")[0]
        if stack:
            from pyiceberg.catalog.rest import RestCatalog

            s3 = stack["s3"]
            catalog = RestCatalog("lab", uri=stack["catalog"], **{"s3.endpoint": s3["endpoint"], "s3.access-key-id": s3["access_key"], "s3.secret-access-key": s3["secret_key"], "s3.region": s3["region"]})
            # The namespace is the exercise's: what an earlier run left there goes first.
            drop_namespace(catalog, namespace)
        else:
            from pyiceberg.catalog.sql import SqlCatalog

            catalog = SqlCatalog("lab", uri=f"sqlite:///{root}/catalog.db", warehouse=f"file://{root}/warehouse")
        catalog.create_namespace_if_not_exists(namespace)
        return {"catalog": catalog}
    if stack:
        # A prefix of its own per run: nothing another run wrote is in the way.
        import hashlib

        return {"table_uri": f"s3://{stack['s3']['bucket']}/{stack['prefix']}/{hashlib.sha256(output_file.encode()).hexdigest()[:16]}"}
    return {"table_uri": os.path.join(root, "table")}


def use_object_store(s3):
    """The stack's MinIO for every S3 client of the process: deltalake and pyarrow read these variables."""
    os.environ.update({
        "AWS_ENDPOINT_URL": s3["endpoint"],
        "AWS_ACCESS_KEY_ID": s3["access_key"],
        "AWS_SECRET_ACCESS_KEY": s3["secret_key"],
        "AWS_REGION": s3["region"],
        "AWS_ALLOW_HTTP": "true",
        # One writer per table (the grader's run): no lock service is needed for a commit.
        "AWS_S3_ALLOW_UNSAFE_RENAME": "true",
    })


def object_store(s3):
    """The stack's MinIO as a pyarrow filesystem, to list what a Delta table left there."""
    from pyarrow.fs import S3FileSystem

    scheme, host = s3["endpoint"].split("://", 1)
    return S3FileSystem(endpoint_override=host, scheme=scheme, access_key=s3["access_key"], secret_key=s3["secret_key"], region=s3["region"])


def drop_namespace(catalog, namespace):
    """Purges every table of a namespace of the REST catalog (their files too), then the namespace."""
    from pyiceberg.exceptions import NoSuchNamespaceError

    try:
        tables = catalog.list_tables(namespace)
    except NoSuchNamespaceError:
        return
    for identifier in tables:
        catalog.purge_table(identifier)
    catalog.drop_namespace(namespace)


def release_table(table, handles):
    """On containers, the run's Iceberg namespace goes once the table was read (the grader removes its files from MinIO)."""
    if table.get("stack") and table["format"] == "iceberg":
        drop_namespace(handles["catalog"], table["identifier"].split(".")[0])


def inspect_table(table, handles, output_file):
    """Writes the table's current rows to output_file and its metadata (snapshots, schemas, partitioning, files) beside it, as JSON."""
    import pyarrow.parquet as pq

    if table["format"] == "iceberg":
        rows, meta = inspect_iceberg(handles["catalog"], table["identifier"])
    else:
        rows, meta = inspect_delta(handles["table_uri"], table.get("stack"))
    pq.write_table(rows, output_file)
    with open(output_file + ".table.json", "w", encoding="utf-8") as f:
        json.dump(meta, f, default=str)


def inspect_iceberg(catalog, identifier):
    from pyiceberg.exceptions import NoSuchTableError

    try:
        t = catalog.load_table(identifier)
    except NoSuchTableError:
        raise HarnessFailure({"kind": "NoSuchTable", "message": f"solve() left no table {identifier} in the catalog: create it with catalog.create_table({identifier!r}, …)", "file": None, "line": None})
    schema_by_id = {s.schema_id: s for s in t.schemas().values()}

    def files_of(snapshot_id):
        files = t.inspect.files(snapshot_id=snapshot_id).to_pylist()
        return [{"path": f["file_path"], "records": f["record_count"], "bytes": f["file_size_in_bytes"], "partition": {k: str(v) for k, v in (f.get("partition") or {}).items()}} for f in files if f.get("content", 0) == 0]

    snapshots = []
    for snap in t.snapshots():
        snapshots.append({
            # Snapshot ids are 64-bit: as strings, so JavaScript reads them exactly.
            "id": str(snap.snapshot_id),
            "parent_id": None if snap.parent_snapshot_id is None else str(snap.parent_snapshot_id),
            "operation": snap.summary.operation.value if snap.summary else None,
            "summary": {k: v for k, v in (snap.summary.additional_properties.items() if snap.summary else [])},
            "rows": t.scan(snapshot_id=snap.snapshot_id).to_arrow().num_rows,
            "files": files_of(snap.snapshot_id),
        })
    meta = {
        "format": "iceberg",
        "current_snapshot_id": None if t.metadata.current_snapshot_id is None else str(t.metadata.current_snapshot_id),
        "snapshots": snapshots,
        "schemas": [{"id": sid, "fields": [{"id": f.field_id, "name": f.name, "type": str(f.field_type)} for f in sch.fields]} for sid, sch in sorted(schema_by_id.items())],
        "current_schema_id": t.metadata.current_schema_id,
        "partition_fields": [{"source": t.schema().find_column_name(f.source_id), "transform": str(f.transform), "name": f.name} for f in t.spec().fields],
        "files": files_of(t.metadata.current_snapshot_id) if t.metadata.current_snapshot_id else [],
    }
    return t.scan().to_arrow(), meta


def inspect_delta(uri, stack=None):
    from deltalake import DeltaTable

    if not DeltaTable.is_deltatable(uri):
        raise HarnessFailure({"kind": "NoSuchTable", "message": "solve() left no Delta table at table_uri: write one with write_deltalake(table_uri, …)", "file": None, "line": None})
    dt = DeltaTable(uri)
    base = uri.rstrip("/") + "/"
    active = sorted(u.replace("file://", "", 1)[len(base):] if u.replace("file://", "", 1).startswith(base) else os.path.relpath(u.replace("file://", ""), uri) for u in dt.file_uris())
    if stack:
        from pyarrow.fs import FileSelector

        prefix = base[len("s3://"):]
        listed = object_store(stack["s3"]).get_file_info(FileSelector(prefix, recursive=True))
        on_disk = sorted(f.path[len(prefix):] for f in listed if f.path.endswith(".parquet") and "_delta_log" not in f.path)
    else:
        on_disk = sorted(os.path.relpath(os.path.join(d, f), uri) for d, _, fs in os.walk(uri) if "_delta_log" not in d for f in fs if f.endswith(".parquet"))
    history = sorted(dt.history(), key=lambda h: h["version"])
    meta = {
        "format": "delta",
        "version": dt.version(),
        # A version the lab's setup wrote carries lab.setup in its commit info.
        "history": [{"version": h["version"], "operation": h.get("operation"), "parameters": h.get("operationParameters") or {}, "metrics": h.get("operationMetrics") or {}, "lab_setup": h.get("lab.setup") == "true"} for h in history],
        "partition_columns": list(dt.metadata().partition_columns),
        "fields": [f.name for f in dt.schema().fields],
        "files": active,
        "files_on_disk": on_disk,
    }
    return dt.to_pyarrow_table(), meta


def write_printed(output_file, text):
    with open(output_file + ".printed", "w", encoding="utf-8") as f:
        f.write(text[-20000:])


def read_table(lib, library, path):
    """A table as the library's DataFrame. pandas gets DECIMAL money as float64: the default
    would hold one decimal.Decimal object per value, slow to read and to compute with."""
    if library == "pyspark":
        return lib.read.parquet(path)
    if library == "pyarrow":
        import pyarrow.parquet as pq

        return pq.read_table(path)
    if library != "pandas":
        return lib.read_parquet(path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    schema = pa.schema([pa.field(f.name, pa.float64()) if pa.types.is_decimal(f.type) else f for f in table.schema])
    return table.cast(schema).to_pandas()


def write_result(lib, library, result, output_file, module_path, spark=None):
    if library == "pyspark":
        if not isinstance(result, spark.DataFrame):
            fail("WrongType", f"solve() returned {type(result).__name__}, expected a Spark DataFrame", module_path)
        import glob
        import shutil

        out_dir = output_file + ".spark"
        plan = spark.write(result, out_dir)
        if plan is not None:
            with open(output_file + ".plan", "w", encoding="utf-8") as f:
                f.write(plan)
        parts = glob.glob(os.path.join(out_dir, "*.parquet"))
        shutil.move(parts[0], output_file)
        shutil.rmtree(out_dir, ignore_errors=True)
    elif library == "pandas":
        if not isinstance(result, lib.DataFrame):
            fail("WrongType", f"solve() returned {type(result).__name__}, expected a pandas DataFrame", module_path)
        if not isinstance(result.index, lib.RangeIndex):
            result = result.reset_index()
        result.to_parquet(output_file, index=False)
    else:
        if isinstance(result, lib.LazyFrame):
            result = result.collect()
        if not isinstance(result, lib.DataFrame):
            fail("WrongType", f"solve() returned {type(result).__name__}, expected a polars DataFrame", module_path)
        result.write_parquet(output_file)


def serve():
    """One request per stdin line ({"module", "library", "timeout", "jobs"}); its end, or its error, is a control line on stderr."""
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            run(request["module"], request["library"], float(request["timeout"]), [tuple(j) for j in request["jobs"]], request.get("spark_conf"), request.get("spark_remote"), request.get("table"))
            mark(done=True)
        except HarnessFailure as failure:
            mark(error=failure.error)


if __name__ == "__main__":
    if sys.argv[1] == "lint":
        lint(sys.argv[2])
    elif sys.argv[1] == "serve":
        serve()
    else:
        rest = sys.argv[5:]
        try:
            run(sys.argv[2], sys.argv[3], float(sys.argv[4]), list(zip(rest[0::2], rest[1::2])))
        except HarnessFailure as failure:
            report_and_exit(failure.error)
