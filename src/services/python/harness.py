"""Runs a learner's `solve()` from a Python exercise file on parquet inputs and writes its result.

Usage: harness.py run  MODULE LIBRARY TIMEOUT_S INPUT_DIR OUTPUT_FILE [INPUT_DIR OUTPUT_FILE ...]
       harness.py lint MODULE
One process runs every (input, output) job in order, so the interpreter and imports start once;
each job gets TIMEOUT_S seconds.
`solve`'s parameter names are the tables it receives. Errors go to stderr as one JSON object
with the line in the learner's file, so the runner can print "file:line: message".
"""
import ast
import signal
import inspect
import json
import os
import sys
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


def fail(kind, message, module_path, line=None, code=3):
    sys.stderr.write(json.dumps({"kind": kind, "message": message, "file": module_path, "line": line}) + "\n")
    sys.exit(code)


def lint(module_path):
    """Finds row loops: for/while loops and row-wise calls such as iterrows() or apply(axis=1)."""
    with open(module_path, encoding="utf-8") as f:
        source = f.read()
    try:
        tree = ast.parse(source, filename=module_path)
    except SyntaxError as e:
        fail("SyntaxError", e.msg, module_path, e.lineno)
    findings = []
    for node in ast.walk(tree):
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
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run(module_path, library, timeout_s, jobs):
    if library == "pandas":
        import pandas as lib
    elif library == "pyspark":
        lib = spark_session()
    else:
        import polars as lib

    spec = importlib.util.spec_from_file_location("solution", module_path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as e:
        fail("SyntaxError", e.msg, module_path, e.lineno)
    except Exception as e:  # the learner's module failed while importing
        fail(type(e).__name__, str(e), module_path, learner_line(e.__traceback__, module_path))
    solve = getattr(module, "solve", None)
    if not callable(solve):
        fail("MissingSolve", "the file must define a function `solve(...)` that returns a DataFrame", module_path)
    signal.signal(signal.SIGALRM, on_alarm)
    for input_dir, output_file in jobs:
        args = {}
        for name in inspect.signature(solve).parameters:
            if name == "spark" and library == "pyspark":
                args[name] = lib
                continue
            path = os.path.join(input_dir, f"{name}.parquet")
            if not os.path.exists(path):
                available = sorted(p[: -len(".parquet")] for p in os.listdir(input_dir) if p.endswith(".parquet"))
                fail("UnknownTable", f"solve() asks for `{name}`, but the tables are: {', '.join(available)}", module_path)
            args[name] = read_table(lib, library, path)
        signal.setitimer(signal.ITIMER_REAL, timeout_s)
        try:
            result = solve(**args)
            # Spark is lazy: the work happens when the result is written, inside the same limit.
            write_result(lib, library, result, output_file, module_path)
        except SolveTimeout:
            fail("Timeout", f"solve() was still running after {timeout_s:g} s", module_path)
        except Exception as e:
            fail(type(e).__name__, str(e).split("\n")[0][:500], module_path, learner_line(e.__traceback__, module_path))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)


def read_table(lib, library, path):
    """A table as the library's DataFrame. pandas gets DECIMAL money as float64: the default
    would hold one decimal.Decimal object per value, slow to read and to compute with."""
    if library == "pyspark":
        return lib.read.parquet(path)
    if library != "pandas":
        return lib.read_parquet(path)
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    schema = pa.schema([pa.field(f.name, pa.float64()) if pa.types.is_decimal(f.type) else f for f in table.schema])
    return table.cast(schema).to_pandas()


def write_result(lib, library, result, output_file, module_path):
    if library == "pyspark":
        from pyspark.sql import DataFrame

        if not isinstance(result, DataFrame):
            fail("WrongType", f"solve() returned {type(result).__name__}, expected a Spark DataFrame", module_path)
        import glob
        import shutil

        out_dir = output_file + ".spark"
        result.coalesce(1).write.mode("overwrite").parquet(out_dir)
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


if __name__ == "__main__":
    if sys.argv[1] == "lint":
        lint(sys.argv[2])
    else:
        rest = sys.argv[5:]
        run(sys.argv[2], sys.argv[3], float(sys.argv[4]), list(zip(rest[0::2], rest[1::2])))
