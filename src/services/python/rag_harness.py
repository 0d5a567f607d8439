"""Runs a learner's RAG pipeline (pipeline.py) against the lab's store and writes what it did.

Usage: rag_harness.py JOBS_FILE
JOBS_FILE holds {"module": path, "embed_cache": file, "timeout_s": n, "jobs": [job, ...]}; a job:
  {"store": {...lab_rag.open_store spec}, "documents": jsonl file, "questions": [{"id", "question"}],
   "k": 10, "reingest": bool, "answers": bool, "baselines": bool,
   "update": {"documents": jsonl file, "deleted": [doc ids]} or null, "output": file}
One process runs every job in order, so the model loads once. The pipeline's functions:
  index(store, documents)            chunks, embeds and stores the documents
  retrieve(store, question, k)       the k best chunks, as ids or hits (dicts with "id")
  answer(store, question)            (answers) {"answer": text or None, "citations": [{"chunk_id", "quote"}]}
  update(store, documents, deleted)  (update) the edited documents again, and the deleted ids
An error in the learner's code goes to stderr as one JSON object with its line, as harness.py does.
"""
import importlib.util
import json
import os
import signal
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lab_rag  # noqa: E402


class PipelineTimeout(BaseException):
    """The time limit: a BaseException, so the learner's `except Exception` cannot swallow it."""


class Failure(Exception):
    def __init__(self, error):
        super().__init__(error["message"])
        self.error = error


def learner_line(module_path, err):
    tb = err.__traceback__
    line = None
    for frame in traceback.extract_tb(tb):
        if os.path.abspath(frame.filename) == module_path:
            line = frame.lineno
    return line


def fail_from(module_path, err, doing):
    if isinstance(err, (Failure, lab_rag.StoreUnavailable)):
        raise err
    kind = "StoreError" if isinstance(err, lab_rag.StoreError) else type(err).__name__
    tb = "".join(traceback.format_exception(type(err), err, err.__traceback__))[-4000:]
    raise Failure({"kind": kind, "message": f"{err} (in {doing})" if str(err) else f"(in {doing})", "file": module_path, "line": learner_line(module_path, err), "traceback": tb})


def mark(**event):
    sys.stderr.write("\n\x1e" + json.dumps(event) + "\n")
    sys.stderr.flush()


def read_jsonl(file):
    with open(file, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load(module_path, need):
    try:
        spec = importlib.util.spec_from_file_location("pipeline", module_path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except SyntaxError as e:
        raise Failure({"kind": "SyntaxError", "message": e.msg, "file": module_path, "line": e.lineno}) from None
    except Exception as e:  # noqa: BLE001 - an import-time error is the learner's
        fail_from(module_path, e, "loading the file")
    for name in need:
        if not callable(getattr(module, name, None)):
            raise Failure({"kind": "MissingFunction", "message": f"define {name}() (the exercise's statement says what it takes and returns)", "file": module_path, "line": None})
    return module


def as_ids(value, question):
    if value is None:
        raise Failure({"kind": "BadResult", "message": f"retrieve() returned None for {question!r}: return a list of chunk ids or hits", "file": None, "line": None})
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise Failure({"kind": "BadResult", "message": f"retrieve() returned a {type(value).__name__}, not a list of chunk ids or hits", "file": None, "line": None})
    ids = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("id", item.get("chunk_id"))
        if item is None:
            raise Failure({"kind": "BadResult", "message": "retrieve() returned a hit without an 'id'", "file": None, "line": None})
        ids.append(str(item))
    return ids


def as_answer(value, question):
    if not isinstance(value, dict) or "answer" not in value:
        raise Failure({"kind": "BadResult", "message": f"answer() must return {{'answer': text or None, 'citations': [...]}}, not {str(value)[:80]!r} (for {question!r})", "file": None, "line": None})
    citations = []
    for c in value.get("citations") or []:
        if not isinstance(c, dict) or "chunk_id" not in c or "quote" not in c:
            raise Failure({"kind": "BadResult", "message": f"a citation is {{'chunk_id': ..., 'quote': ...}}, not {str(c)[:80]!r}", "file": None, "line": None})
        citations.append({"chunk_id": str(c["chunk_id"]), "quote": str(c["quote"])})
    answer = value["answer"]
    return {"answer": None if answer is None else str(answer), "citations": citations}


def ranked(store, questions, k, fn, module_path, doing):
    out = []
    for q in questions:
        try:
            ids = as_ids(fn(q["question"]), q["question"])
        except Failure:
            raise
        except Exception as e:  # noqa: BLE001
            fail_from(module_path, e, f"{doing} for {q['question']!r}")
        out.append({"question_id": q["id"], "ids": ids[:k]})
    return out


def stored(store):
    return [{"chunk_id": c["id"], **{f: c.get(f) for f in lab_rag.FIELDS}} for c in store.all()]


def run_job(module, module_path, embedder, job):
    store = lab_rag.open_store(job["store"], embedder, fresh=True)
    timings = {}
    out = {"counts": {}}
    try:
        documents = read_jsonl(job["documents"])
        t = time.perf_counter()
        try:
            module.index(store, documents)
        except Exception as e:  # noqa: BLE001
            fail_from(module_path, e, "index()")
        timings["index_s"] = time.perf_counter() - t
        out["counts"]["after_index"] = store.count()
        if job.get("reingest"):
            # The nightly job runs again on the same documents: nothing may be added twice.
            try:
                module.index(store, read_jsonl(job["documents"]))
            except Exception as e:  # noqa: BLE001
                fail_from(module_path, e, "index() run a second time")
            out["counts"]["after_reindex"] = store.count()
        out["chunks"] = stored(store)
        k = int(job.get("k", 10))
        t = time.perf_counter()
        out["results"] = ranked(store, job["questions"], k, lambda q: module.retrieve(store, q, k), module_path, "retrieve()")
        timings["retrieve_s"] = time.perf_counter() - t
        if job.get("answers"):
            answers = []
            for q in job["questions"]:
                try:
                    a = as_answer(module.answer(store, q["question"]), q["question"])
                except Failure:
                    raise
                except Exception as e:  # noqa: BLE001
                    fail_from(module_path, e, f"answer() for {q['question']!r}")
                answers.append({"question_id": q["id"], **a})
            out["answers"] = answers
        if job.get("baselines"):
            # The lab's own baselines, on the learner's chunks: dense only and BM25 only.
            vectors = store.embed([q["question"] for q in job["questions"]])
            out["dense"] = [{"question_id": q["id"], "ids": [h["id"] for h in store.search(v, k)]} for q, v in zip(job["questions"], vectors)]
            out["bm25"] = [{"question_id": q["id"], "ids": [h["id"] for h in store.keyword(q["question"], k)]} for q in job["questions"]]
        if job.get("update"):
            edited = read_jsonl(job["update"]["documents"])
            try:
                module.update(store, edited, list(job["update"]["deleted"]))
            except Exception as e:  # noqa: BLE001
                fail_from(module_path, e, "update()")
            out["counts"]["after_update"] = store.count()
            out["chunks_after"] = stored(store)
            out["results_after"] = ranked(store, job["questions"], k, lambda q: module.retrieve(store, q, k), module_path, "retrieve() after update()")
        out["timings"] = timings
        return out
    finally:
        drop = getattr(store, "drop", None)
        if drop and job["store"].get("drop", True):
            try:
                drop()
            except lab_rag.StoreError:
                pass
        store.close()


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        spec = json.load(f)
    module_path = os.path.abspath(spec["module"])
    sys.path.insert(0, os.path.dirname(module_path))

    def on_alarm(signum, frame):
        raise PipelineTimeout(f"the pipeline did not finish within {spec['timeout_s']} s")

    signal.signal(signal.SIGALRM, on_alarm)
    try:
        embedder = lab_rag.Embedder(spec["embed_cache"])
    except ImportError as err:
        sys.stderr.write(json.dumps({"kind": "ModelMissing", "message": f"the embedding model's packages are missing: {err}", "file": None, "line": None}) + "\n")
        sys.exit(4)
    need = ["index", "retrieve"]
    if any(j.get("answers") for j in spec["jobs"]):
        need.append("answer")
    if any(j.get("update") for j in spec["jobs"]):
        need.append("update")
    try:
        module = load(module_path, need)
        for index, job in enumerate(spec["jobs"]):
            mark(job=index)
            signal.alarm(int(spec["timeout_s"]))
            try:
                out = run_job(module, module_path, embedder, job)
            except PipelineTimeout as e:
                raise Failure({"kind": "Timeout", "message": str(e), "file": module_path, "line": None, "timedOut": True}) from None
            finally:
                signal.alarm(0)
            out["embedded"] = {"texts": embedder.texts, "cached": embedder.cached}
            with open(job["output"], "w", encoding="utf-8") as f:
                json.dump(out, f)
    except Failure as failure:
        sys.stderr.write("\n" + json.dumps(failure.error) + "\n")
        sys.exit(3)
    except lab_rag.StoreUnavailable as err:
        # The store itself (Weaviate down, a refused request) outside the learner's call.
        sys.stderr.write("\n" + json.dumps({"kind": "StoreUnavailable", "message": str(err), "file": None, "line": None}) + "\n")
        sys.exit(5)


if __name__ == "__main__":
    main()
