"""Runs a learner's Prefect flow once, for a range of days, against the lab's Prefect server.

Usage: flow_harness.py MODULE START END RESULT_FILE
The module defines a flow `pipeline(start, end)` (a function decorated with @flow). The flow run
reports to PREFECT_API_URL as any flow does; this writes which flow run it was and how it ended
to RESULT_FILE, or, when the module cannot run, one JSON error with the line in the learner's file.
"""
import importlib.util
import json
import sys

# The solve() harness beside this file: the same "file:line" for an error in the learner's code.
from harness import learner_line


def write(result_file, result):
    with open(result_file, "w", encoding="utf-8") as f:
        json.dump(result, f)


def main(module_path, start, end, result_file):
    from prefect import Flow

    spec = importlib.util.spec_from_file_location("learner_flow", module_path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except SyntaxError as e:
        return write(result_file, {"error": {"kind": "SyntaxError", "message": e.msg, "line": e.lineno}})
    except Exception as e:
        return write(result_file, {"error": {"kind": type(e).__name__, "message": str(e)[:500], "line": learner_line(e.__traceback__, module_path)}})
    pipeline = getattr(module, "pipeline", None)
    if pipeline is None:
        return write(result_file, {"error": {"kind": "MissingFlow", "message": "the file must define `pipeline(start, end)`, decorated with @flow", "line": None}})
    if not isinstance(pipeline, Flow):
        return write(result_file, {"error": {"kind": "NotAFlow", "message": "`pipeline` is a plain function: decorate it with @flow (from prefect import flow)", "line": None}})
    state = pipeline(start=start, end=end, return_state=True)
    write(result_file, {"flow_run_id": str(state.state_details.flow_run_id), "state": state.type.value, "message": (state.message or "")[:500]})


if __name__ == "__main__":
    main(*sys.argv[1:5])
