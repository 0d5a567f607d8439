"""Runs dbt commands in one warm process: dbt's imports and its adapter load once, not per command.

Usage: dbt_harness.py serve
One request per stdin line: {"cwd", "args", "env"}; dbt runs there with those variables set, writes
its artifacts (run_results.json, manifest.json) into the project's target folder, and the answer is
a control line on stderr ({"done": true, "success": …}).
"""
import json
import os
import sys
import traceback

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")


def mark(**event):
    sys.stderr.write("\n\x1e" + json.dumps(event) + "\n")
    sys.stderr.flush()


def release_duckdb():
    """dbt-duckdb keeps its database open between commands: release it, so the grader can read the file."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager
    except ImportError:
        return
    if manager._ENV is not None:
        try:
            manager._ENV.close()
        finally:
            manager._ENV = None


def invoke(request):
    from dbt.cli.main import dbtRunner

    os.chdir(request["cwd"])
    os.environ.update(request.get("env") or {})
    try:
        result = dbtRunner().invoke(request["args"])
    finally:
        release_duckdb()
    exception = None
    if result.exception is not None:
        exception = "".join(traceback.format_exception_only(type(result.exception), result.exception)).strip()
    return {"success": bool(result.success), "exception": exception}


def serve():
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            mark(done=True, result=invoke(json.loads(line)))
        except Exception as e:  # dbt itself failed to start: the runner reports it
            mark(error={"kind": type(e).__name__, "message": str(e).split("\n")[0][:500], "traceback": traceback.format_exc()[-4000:]})


if __name__ == "__main__":
    serve()
