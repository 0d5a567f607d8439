"""One Python side of a `lab compare` pair in its own process: open once, run timed, JSON lines on stdout."""
import hashlib
import importlib.util
import json
import sys
import time


def say(line):
    sys.stdout.write(json.dumps(line) + "\n")
    sys.stdout.flush()


def digest_of(answer):
    text = json.dumps(answer, separators=(",", ":"), ensure_ascii=False, default=lambda v: v.item() if hasattr(v, "item") else str(v))
    return hashlib.sha256(text.encode()).hexdigest()[:16], text[:160]


def main():
    job = json.load(open(sys.argv[1]))
    spec = importlib.util.spec_from_file_location("pair_sides", job["file"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    state = getattr(module, job["open"])(job["ctx"])
    say({"ready": True})
    for i in range(job["warmup"] + job["runs"]):
        t0 = time.perf_counter()
        answer = getattr(module, job["run"])(state)
        ms = (time.perf_counter() - t0) * 1000
        digest, preview = digest_of(answer)
        say({"run": i, "warmup": i < job["warmup"], "ms": ms, "digest": digest, "preview": preview})
    say({"done": True})


if __name__ == "__main__":
    try:
        main()
    except Exception as err:  # the parent reports it as the side's error, in one line
        say({"error": f"{type(err).__name__}: {err}".split("\n")[0]})
        sys.exit(1)
