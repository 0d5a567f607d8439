"""The lab's side of month2's pipeline: the nightly export (the source) and where partitions go.

Your flow imports it: `import lab_flow`. The source behaves like a real one on purpose: its
drops land late, it answers 503 now and then, and it can be down for a day. Every call is
written to the run's event log, which `lab check` reads beside Prefect's run history.

    lab_flow.days(start, end)         the days from start to end, inclusive ('YYYY-MM-DD')
    lab_flow.landed(day)              has the day's drop landed? (a sensor polls this)
    lab_flow.read_orders(day)         the day's order lines as a pandas DataFrame; raises
                                      SourceUnavailable when the export service fails, and
                                      NotLanded when the drop is not there yet
    lab_flow.partition_dir(table, day)  out/<table>/day=<day>/: write that day's files there
    lab_flow.read_summary()           the published summary (a dict), and
    lab_flow.write_summary(summary)   its new version: a read-modify-write, slow on purpose
"""
import datetime as _dt
import fcntl
import json
import os
import time

import pandas as pd

LANDING = os.environ.get("LAB_FLOW_LANDING", "landing")
OUTPUT = os.environ.get("LAB_FLOW_OUTPUT", "out")
STATE = os.environ.get("LAB_FLOW_STATE", ".lab-flow")
# The export service takes a moment per request: a backfill of many days is slow one by one.
READ_SECONDS = float(os.environ.get("LAB_FLOW_READ_MS", "300")) / 1000
SUMMARY_SECONDS = float(os.environ.get("LAB_FLOW_SUMMARY_MS", "200")) / 1000


class SourceUnavailable(Exception):
    """The export service failed this request (HTTP 503): it may answer the next one."""


class NotLanded(Exception):
    """The day's drop is not in the landing folder yet."""


def _faults():
    try:
        with open(os.path.join(STATE, "faults.json"), encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def _context():
    """The Prefect task run and flow run calling, when there is one."""
    try:
        from prefect.runtime import flow_run, task_run

        return {"task_run_id": task_run.id, "task_run_name": task_run.name, "flow_run_id": flow_run.id}
    except Exception:  # outside Prefect, or an older runtime module
        return {"task_run_id": None, "task_run_name": None, "flow_run_id": None}


_JOINED = []


def _barrier():
    """When the grader starts runs together (LAB_FLOW_BARRIER=n), each waits at its first call until all n are there."""
    wanted = int(os.environ.get("LAB_FLOW_BARRIER", "0") or 0)
    if wanted < 2 or _JOINED:
        return
    _JOINED.append(True)
    folder = os.path.join(STATE, "barrier")
    os.makedirs(folder, exist_ok=True)
    open(os.path.join(folder, str(os.getpid())), "w").close()
    deadline = time.monotonic() + 120
    while len(os.listdir(folder)) < wanted and time.monotonic() < deadline:
        time.sleep(0.05)


def _log(op, day=None, **fields):
    _barrier()
    os.makedirs(STATE, exist_ok=True)
    event = {"op": op, "day": day, "pid": os.getpid(), **_context(), **fields}
    line = (json.dumps(event, default=str) + "\n").encode("utf-8")
    # One write per line, appended: lines from threads and processes never interleave.
    fd = os.open(os.path.join(STATE, "events.jsonl"), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def _now_ms():
    return int(time.time() * 1000)


def _check_day(day):
    try:
        _dt.date.fromisoformat(str(day))
    except ValueError:
        raise ValueError(f"a day is 'YYYY-MM-DD', not {day!r}") from None
    return str(day)


def days(start, end):
    """Every day from start to end, both included, as 'YYYY-MM-DD' strings."""
    first, last = _dt.date.fromisoformat(str(start)), _dt.date.fromisoformat(str(end))
    return [(first + _dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def _drop(day):
    return os.path.join(LANDING, day, "orders.jsonl")


def landed(day):
    day = _check_day(day)
    there = os.path.exists(_drop(day))
    _log("poll", day, at_ms=_now_ms(), landed=there)
    return there


def _attempt(day):
    """Counts this request for the day, across threads and processes."""
    os.makedirs(os.path.join(STATE, "attempts"), exist_ok=True)
    with open(os.path.join(STATE, "attempts", day), "a+", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        f.seek(0)
        n = len(f.read()) + 1
        f.write(".")
        return n


def read_orders(day):
    """The day's order lines: order_id, customer_id, status, amount_cents, updated_at (UTC)."""
    day = _check_day(day)
    start = _now_ms()
    attempt = _attempt(day)
    fault = _faults().get(day, {})
    time.sleep(READ_SECONDS)
    try:
        if os.path.exists(os.path.join(STATE, f"outage-{day}")):
            raise SourceUnavailable(f"the export service is down for {day} (HTTP 503)")
        if attempt <= fault.get("transient_failures", 0):
            raise SourceUnavailable(f"the export service answered HTTP 503 for {day} (attempt {attempt}): try again")
        if not os.path.exists(_drop(day)):
            raise NotLanded(f"the drop of {day} has not landed in {LANDING} yet")
        frame = pd.read_json(_drop(day), lines=True, dtype={"order_id": "string", "customer_id": "int64", "status": "string", "amount_cents": "int64"}, convert_dates=["updated_at"])
    except Exception as e:
        _log("read", day, start_ms=start, end_ms=_now_ms(), attempt=attempt, ok=False, error=type(e).__name__)
        raise
    _log("read", day, start_ms=start, end_ms=_now_ms(), attempt=attempt, ok=True, rows=len(frame))
    return frame


def partition_dir(table, day):
    """out/<table>/day=<day>/, created: the folder of that day's files (what is in it is the partition)."""
    day = _check_day(day)
    path = os.path.join(OUTPUT, table, f"day={day}")
    os.makedirs(path, exist_ok=True)
    return path


def _summary_file():
    return os.path.join(OUTPUT, "summary.json")


def read_summary():
    """The published summary: {"days": {day: revenue_cents}, "total_cents": n}."""
    start = _now_ms()
    time.sleep(SUMMARY_SECONDS)
    try:
        with open(_summary_file(), encoding="utf-8") as f:
            summary = json.load(f)
    except FileNotFoundError:
        summary = {"days": {}, "total_cents": 0}
    _log("summary_read", None, start_ms=start, end_ms=_now_ms())
    return summary


def write_summary(summary):
    os.makedirs(OUTPUT, exist_ok=True)
    tmp = f"{_summary_file()}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=1, sort_keys=True)
    os.replace(tmp, _summary_file())
    _log("summary_write", None, at_ms=_now_ms())
