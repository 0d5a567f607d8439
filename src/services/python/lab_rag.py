"""
The RAG lab's vector store and embedding model, as the learner's pipeline sees them: one `Store`
interface, two backends. Locally the chunks live in a DuckDB file (FLOAT[384] arrays, exact cosine
search, BM25 computed here: DuckDB's fts extension cannot be downloaded offline); on the docker
runtime in a Weaviate collection (HNSW vectors, its own BM25 and hybrid), over its REST/GraphQL API.

A chunk is a dict: `id` (any string, unique), `doc_id`, `text`, `vector` (from `store.embed`), and
optional metadata: title, kind, path, status, team, service, policy, version, effective, start, end.
Searches return hits: the chunk's fields (no vector) and a `score` (higher is better).
"""
import hashlib
import json
import math
import os
import re
import sys
import urllib.error
import urllib.request
import uuid

DIM = 384
METADATA = {"doc_id": str, "text": str, "title": str, "kind": str, "path": str, "status": str, "team": str, "service": str, "policy": str, "version": int, "effective": str, "start": int, "end": int}
FIELDS = list(METADATA)
# Quoted: `end` is an SQL keyword.
COLUMNS = ", ".join(f'"{f}"' for f in FIELDS)
# Weaviate object ids are UUIDs: a chunk's own id becomes one, the same on every run.
ID_NAMESPACE = uuid.UUID("6f1c1f3e-5c8a-4d5e-9a57-2f0c8a3d7b11")
K1, B = 1.2, 0.75
NO_INT, NO_TEXT = -(2**62), "\u2400"
# Weaviate 1.35.2's BM25 (BlockMax WAND) loses its best matches when asked for a short list (an
# error code's own chunk ranked out of the top 100 by chunks sharing only "NWP", measured here):
# keyword and hybrid searches ask for every match's id and score, and then fetch the top k.
WHOLE_RANKING = 10_000
WORD = re.compile(r"[a-z0-9]+(?:[-_/.][a-z0-9]+)*")


class StoreError(Exception):
    """The store refused a request: the message says why, for people."""


class StoreUnavailable(StoreError):
    """The store did not answer at all: the machine's problem, not the pipeline's."""


def terms(text):
    """Lower-cased words and identifiers: `ledger-api` stays one term, and its parts are terms too."""
    out = []
    for word in WORD.findall(str(text).lower()):
        out.append(word)
        if re.search(r"[-_/.]", word):
            out.extend(p for p in re.split(r"[-_/.]", word) if p)
    return out


def _clean(chunk):
    if not isinstance(chunk, dict):
        raise StoreError(f"a chunk must be a dict, not {type(chunk).__name__}")
    for need in ("id", "doc_id", "text", "vector"):
        value = chunk.get(need)
        if value is None or (isinstance(value, str) and value == ""):
            raise StoreError(f"a chunk needs '{need}' (chunk {str(chunk.get('id'))[:60]!r})")
    try:
        vector = [float(x) for x in chunk["vector"]]
    except (TypeError, ValueError):
        raise StoreError(f"chunk {str(chunk['id'])[:60]!r}: 'vector' must be a list of numbers (from store.embed())") from None
    if len(vector) != DIM:
        raise StoreError(f"chunk {str(chunk['id'])[:60]!r} has a vector of {len(vector)} dimensions; the store holds {DIM} (all-MiniLM-L6-v2): embed with store.embed()")
    row = {"id": str(chunk["id"]), "vector": vector}
    for name, typ in METADATA.items():
        value = chunk.get(name)
        row[name] = None if value is None else typ(value)
    return row


# A filter is {field: value} (equal), or {field: {op: value}} with one of these operators.
OPERATORS = {"eq": "=", "ne": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<=", "in": "IN"}


def _conditions(where):
    """[(field, op, value)] of a filter, checked: unknown fields and operators are one clear error."""
    out = []
    for key, value in (where or {}).items():
        if key not in METADATA and key != "id":
            raise StoreError(f"cannot filter on '{key}': the store's fields are {', '.join(FIELDS)}")
        if isinstance(value, dict):
            if len(value) != 1 or next(iter(value)) not in OPERATORS:
                raise StoreError(f"filter on '{key}': use {{'{key}': value}} or one of {', '.join(OPERATORS)}, e.g. {{'{key}': {{'ne': ...}}}}")
            op, v = next(iter(value.items()))
            if op == "in" and not isinstance(v, (list, tuple, set)):
                raise StoreError(f"filter on '{key}': 'in' takes a list")
            out.append((key, op, list(v) if op == "in" else v))
        else:
            out.append((key, "eq", value))
    return out


def _holds(value, op, v):
    if op == "in":
        return value in v
    if op == "eq":
        return value == v
    if op == "ne":
        return value != v
    if value is None:
        return False
    return {"gt": value > v, "gte": value >= v, "lt": value < v, "lte": value <= v}[op]


def _matches(row, where):
    return all(_holds(row.get(k), op, v) for k, op, v in _conditions(where))


def _check_where(where):
    _conditions(where)


class Embedder:
    """The lab's model in this process, with the machine's cache of vectors (keyed by model and text)."""

    def __init__(self, cache_file):
        here = os.path.dirname(os.path.abspath(__file__))
        if here not in sys.path:
            sys.path.insert(0, here)
        import embedder
        self._np, self._embed = embedder.load()
        self._model = embedder.MODEL_ID
        self._batch = embedder.BATCH
        self._cache = embedder.VectorCache(cache_file)
        self.texts = 0
        self.cached = 0

    def __call__(self, texts):
        np = self._np
        texts = [str(t) for t in texts]
        keys = [hashlib.sha256(f"{self._model}\0{t}".encode()).hexdigest() for t in texts]
        found = self._cache.get(keys)
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in found}.items(), key=lambda kv: len(kv[1]))
        for i in range(0, len(missing), self._batch):
            batch = missing[i : i + self._batch]
            rows = [(k, v.tobytes()) for (k, _), v in zip(batch, self._embed([t for _, t in batch]))]
            self._cache.put(rows)
            found.update(rows)
        self.texts += len(texts)
        self.cached += len(texts) - len(missing)
        if not texts:
            return np.zeros((0, DIM), dtype="float32")
        return np.frombuffer(b"".join(found[k] for k in keys), dtype="<f4").reshape(len(texts), DIM)


class Store:
    """What every backend offers the learner's pipeline."""

    def __init__(self, embedder):
        self._embedder = embedder

    def embed(self, texts):
        """One unit vector (384 floats) per text, in order; a list of texts, not one string."""
        if isinstance(texts, str):
            raise StoreError("store.embed() takes a list of texts; for one text: store.embed([text])[0]")
        return self._embedder(list(texts))

    def upsert(self, chunks):
        """Adds chunks; a chunk whose id is already stored replaces it."""
        raise NotImplementedError

    def delete(self, ids=None, where=None):
        """Removes the chunks with these ids, or every chunk matching `where` (e.g. {"doc_id": "d0042"})."""
        raise NotImplementedError

    def search(self, vector, k=10, where=None):
        """The k chunks nearest to a query vector by cosine similarity, optionally only those matching `where`."""
        raise NotImplementedError

    def keyword(self, query, k=10, where=None):
        """The k best chunks for a query's words by BM25."""
        raise NotImplementedError

    def hybrid(self, query, vector, k=10, where=None):
        """The store's own fusion of BM25 and vector search (reciprocal ranks)."""
        raise NotImplementedError

    def get(self, ids):
        """The stored chunks with these ids (missing ones are left out)."""
        raise NotImplementedError

    def all(self):
        """Every stored chunk, without vectors."""
        raise NotImplementedError

    def count(self, where=None):
        return len([c for c in self.all() if _matches(c, where)])


class DuckDbStore(Store):
    """Chunks in a DuckDB table with FLOAT[384] vectors; exact cosine search, BM25 over the stored texts."""

    def __init__(self, file, embedder, fresh=True):
        super().__init__(embedder)
        import duckdb
        if fresh and os.path.exists(file):
            os.remove(file)
        self._db = duckdb.connect(file)
        columns = ", ".join(f'"{name}" {"INTEGER" if typ is int else "VARCHAR"}' for name, typ in METADATA.items())
        self._db.execute(f"CREATE TABLE IF NOT EXISTS chunks (id VARCHAR PRIMARY KEY, {columns}, vector FLOAT[{DIM}])")
        self._bm25 = None

    def upsert(self, chunks):
        rows = [_clean(c) for c in chunks]
        if not rows:
            return
        import numpy as np
        by_id = {r["id"]: r for r in rows}
        n = len(by_id)
        # NumPy columns, read by DuckDB's replacement scan: list parameters convert one float at a time.
        # Typed arrays only (an object array needs pandas): a missing value is a sentinel, NULL again in SQL.
        meta = {"row_no": np.arange(n, dtype=np.int64), "id": np.array(list(by_id), dtype=str)}
        for name in FIELDS:
            values = [r[name] for r in by_id.values()]
            meta[name] = np.array([NO_INT if v is None else v for v in values], dtype=np.int64) if METADATA[name] is int else np.array([NO_TEXT if v is None else v for v in values], dtype=str)
        flat = {"row_no": np.repeat(np.arange(n, dtype=np.int64), DIM), "pos": np.tile(np.arange(DIM, dtype=np.int32), n), "x": np.array([r["vector"] for r in by_id.values()], dtype=np.float32).reshape(-1)}
        casts = ", ".join(f'NULLIF(m."{f}", {NO_INT})::INTEGER' if METADATA[f] is int else f"NULLIF(m.\"{f}\"::VARCHAR, '{NO_TEXT}')" for f in FIELDS)
        lab_rag_meta, lab_rag_flat = meta, flat  # noqa: F841 - named in the SQL below
        self._db.execute("BEGIN")
        try:
            self._db.execute("DELETE FROM chunks WHERE id IN (SELECT id::VARCHAR FROM lab_rag_meta)")
            self._db.execute(f"INSERT INTO chunks (id, {COLUMNS}, vector) SELECT m.id::VARCHAR, {casts}, v.vector::FLOAT[{DIM}] FROM lab_rag_meta m JOIN (SELECT row_no, list(x ORDER BY pos) AS vector FROM lab_rag_flat GROUP BY row_no) v USING (row_no)")
            self._db.execute("COMMIT")
        except Exception:
            self._db.execute("ROLLBACK")
            raise
        self._bm25 = None

    def _where(self, where):
        conditions = _conditions(where)
        if not conditions:
            return "", []
        sql, params = [], []
        for key, op, v in conditions:
            if op == "in":
                sql.append(f'"{key}" IN ({", ".join("?" * len(v)) or "NULL"})')
                params.extend(v)
            elif op == "ne":
                sql.append(f'"{key}" IS DISTINCT FROM ?')
                params.append(v)
            else:
                sql.append(f'"{key}" {OPERATORS[op]} ?')
                params.append(v)
        return " WHERE " + " AND ".join(sql), params

    def delete(self, ids=None, where=None):
        if ids is not None:
            self._db.executemany("DELETE FROM chunks WHERE id = ?", [[str(i)] for i in ids])
        elif where:
            sql, params = self._where(where)
            self._db.execute("DELETE FROM chunks" + sql, params)
        else:
            raise StoreError("store.delete() needs ids or a where filter (it never empties the store by accident)")
        self._bm25 = None

    def _hits(self, sql, params):
        cur = self._db.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def search(self, vector, k=10, where=None):
        vector = [float(x) for x in vector]
        if len(vector) != DIM:
            raise StoreError(f"the query vector has {len(vector)} dimensions; the store holds {DIM}")
        import numpy as np
        sql, params = self._where(where)
        lab_rag_query = {"pos": np.arange(DIM, dtype=np.int32), "x": np.array(vector, dtype=np.float32)}  # noqa: F841 - named in the SQL
        # Executed here: DuckDB finds lab_rag_query among this frame's variables.
        cur = self._db.execute(f"WITH q AS (SELECT list(x ORDER BY pos)::FLOAT[{DIM}] AS v FROM lab_rag_query) SELECT id, {COLUMNS}, array_cosine_similarity(vector, (SELECT v FROM q)) AS score FROM chunks{sql} ORDER BY score DESC, id LIMIT ?", [*params, int(k)])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def _index(self):
        if self._bm25 is None:
            rows = self._hits(f"SELECT id, {COLUMNS} FROM chunks ORDER BY id", [])
            postings, lengths = {}, []
            for i, row in enumerate(rows):
                words = terms(row["text"])
                lengths.append(len(words))
                tf = {}
                for w in words:
                    tf[w] = tf.get(w, 0) + 1
                for w, n in tf.items():
                    postings.setdefault(w, []).append((i, n))
            self._bm25 = (rows, postings, lengths, sum(lengths) / max(1, len(lengths)))
        return self._bm25

    def keyword(self, query, k=10, where=None):
        _check_where(where)
        rows, postings, lengths, avg = self._index()
        n = len(rows)
        scores = {}
        for w in set(terms(query)):
            plist = postings.get(w, [])
            idf = math.log(1 + (n - len(plist) + 0.5) / (len(plist) + 0.5))
            for i, tf in plist:
                scores[i] = scores.get(i, 0.0) + idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[i] / avg))
        ranked = sorted((i for i in scores if _matches(rows[i], where)), key=lambda i: (-scores[i], rows[i]["id"]))[: int(k)]
        return [{**rows[i], "score": scores[i]} for i in ranked]

    def hybrid(self, query, vector, k=10, where=None):
        lists = [self.search(vector, 50, where), self.keyword(query, 50, where)]
        return _fuse(lists, k)

    def get(self, ids):
        ids = [str(i) for i in ids]
        if not ids:
            return []
        found = {h["id"]: h for h in self._hits(f"SELECT id, {COLUMNS} FROM chunks WHERE id IN ({', '.join('?' * len(ids))})", ids)}
        return [found[i] for i in ids if i in found]

    def all(self):
        return self._hits(f"SELECT id, {COLUMNS} FROM chunks ORDER BY id", [])

    def count(self, where=None):
        sql, params = self._where(where)
        return self._db.execute("SELECT count(*) FROM chunks" + sql, params).fetchone()[0]

    def close(self):
        self._db.close()


def _fuse(lists, k, c=60):
    score, hits = {}, {}
    for hits_list in lists:
        for rank, hit in enumerate(hits_list):
            score[hit["id"]] = score.get(hit["id"], 0.0) + 1.0 / (c + rank + 1)
            hits.setdefault(hit["id"], hit)
    ranked = sorted(score, key=lambda i: (-score[i], i))[:k]
    return [{**hits[i], "score": score[i]} for i in ranked]


class WeaviateStore(Store):
    """Chunks in a Weaviate collection with precomputed vectors, over its REST and GraphQL API."""

    def __init__(self, url, api_key, collection, embedder, fresh=True):
        super().__init__(embedder)
        self._url = url.rstrip("/")
        self._key = api_key
        self._class = collection
        if fresh:
            self._request("DELETE", f"/v1/schema/{collection}", ok=(200, 404))
        if self._request("GET", f"/v1/schema/{collection}", ok=(200, 404)) is None:
            # `terms`: the text as this module's BM25 terms (ledger-api, and ledger and api), searched by
            # whitespace; Weaviate's own word tokenizer would split identifiers and lose them.
            props = [{"name": "chunk_id", "dataType": ["text"], "tokenization": "field"}, {"name": "terms", "dataType": ["text"], "tokenization": "whitespace"}]
            for name, typ in METADATA.items():
                data = "int" if typ is int else "text"
                prop = {"name": name, "dataType": [data]}
                if data == "text":
                    # Filters compare whole values; only the chunk's text is searched word by word.
                    prop["tokenization"] = "word" if name in ("text", "title") else "field"
                props.append(prop)
            self._request("POST", "/v1/schema", {"class": collection, "vectorizer": "none", "vectorIndexConfig": {"distance": "cosine"}, "invertedIndexConfig": {"bm25": {"k1": K1, "b": B}}, "properties": props})

    def _request(self, method, path, body=None, ok=(200,)):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self._url + path, data=data, method=method, headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {self._key}"} if self._key else {})})
        try:
            with urllib.request.urlopen(req, timeout=120) as res:
                text = res.read().decode() or "null"
                return json.loads(text)
        except urllib.error.HTTPError as err:
            if err.code in ok:
                return None
            raise StoreError(f"Weaviate answered {err.code} to {method} {path}: {err.read().decode()[:300]}") from None
        except urllib.error.URLError as err:
            raise StoreUnavailable(f"Weaviate at {self._url} did not answer: {err.reason}") from None

    @staticmethod
    def object_id(chunk_id):
        return str(uuid.uuid5(ID_NAMESPACE, str(chunk_id)))

    def upsert(self, chunks):
        rows = [_clean(c) for c in chunks]
        for i in range(0, len(rows), 200):
            objects = []
            for r in rows[i : i + 200]:
                props = {name: r[name] for name in FIELDS if r[name] is not None}
                props["chunk_id"] = r["id"]
                props["terms"] = " ".join(terms(r["text"]))
                objects.append({"class": self._class, "id": self.object_id(r["id"]), "properties": props, "vector": r["vector"]})
            answer = self._request("POST", "/v1/batch/objects", {"objects": objects})
            errors = [o["result"]["errors"] for o in answer or [] if o.get("result", {}).get("errors")]
            if errors:
                raise StoreError(f"Weaviate refused {len(errors)} chunks: {json.dumps(errors[0])[:300]}")

    def _filter(self, where, rest=False):
        _check_where(where)
        if not where:
            return None
        ops = []
        names = {"eq": "Equal", "ne": "NotEqual", "gt": "GreaterThan", "gte": "GreaterThanEqual", "lt": "LessThan", "lte": "LessThanEqual", "in": "ContainsAny"}
        for key, op, value in _conditions(where):
            name = "chunk_id" if key == "id" else key
            sample = value[0] if op == "in" and value else value
            kind = "valueInt" if isinstance(sample, int) and not isinstance(sample, bool) else "valueText"
            ops.append({"path": [name], "operator": names[op], # A list is valueTextArray in REST, valueText: [...] in GraphQL.
            (kind + "Array" if op == "in" and rest else kind): value})
        return ops[0] if len(ops) == 1 else {"operator": "And", "operands": ops}

    def delete(self, ids=None, where=None):
        if ids is not None:
            for chunk_id in ids:
                self._request("DELETE", f"/v1/objects/{self._class}/{self.object_id(chunk_id)}", ok=(204, 404))
        elif where:
            self._request("DELETE", "/v1/batch/objects", {"match": {"class": self._class, "where": self._filter(where, rest=True)}, "output": "minimal"})
        else:
            raise StoreError("store.delete() needs ids or a where filter (it never empties the store by accident)")

    def _get(self, args, k, score_field):
        fields = " ".join(["chunk_id", *FIELDS])
        query = "{ Get { %s(%s limit: %d) { %s _additional { %s } } } }" % (self._class, args, int(k), fields, score_field)
        answer = self._request("POST", "/v1/graphql", {"query": query})
        if answer.get("errors"):
            raise StoreError(f"Weaviate's query failed: {answer['errors'][0].get('message', answer['errors'][0])}")
        out = []
        for obj in (answer.get("data") or {}).get("Get", {}).get(self._class) or []:
            extra = obj.pop("_additional")
            hit = {"id": obj.pop("chunk_id"), **obj}
            if "distance" in extra:
                hit["score"] = 1 - float(extra["distance"])
            elif "score" in extra:
                hit["score"] = float(extra["score"])
            out.append(hit)
        return out

    def _where_arg(self, where):
        f = self._filter(where)
        return "" if f is None else f"where: {_graphql(f)}"

    def search(self, vector, k=10, where=None):
        vector = [float(x) for x in vector]
        if len(vector) != DIM:
            raise StoreError(f"the query vector has {len(vector)} dimensions; the store holds {DIM}")
        return self._get(f"nearVector: {{vector: {json.dumps(vector)}}} {self._where_arg(where)}", k, "distance")

    def _ranked(self, args, k):
        """The top k of a full BM25 or hybrid ranking: ids and scores first, then those k chunks whole."""
        query = "{ Get { %s(%s limit: %d) { chunk_id _additional { score } } } }" % (self._class, args, WHOLE_RANKING)
        answer = self._request("POST", "/v1/graphql", {"query": query})
        if answer.get("errors"):
            raise StoreError(f"Weaviate's query failed: {answer['errors'][0].get('message', answer['errors'][0])}")
        ranked = [(o["chunk_id"], float(o["_additional"]["score"])) for o in (answer.get("data") or {}).get("Get", {}).get(self._class) or []][: int(k)]
        if not ranked:
            return []
        found = {h["id"]: h for h in self._get(f"where: {_graphql({'path': ['chunk_id'], 'operator': 'ContainsAny', 'valueText': [i for i, _ in ranked]})}", len(ranked), "id")}
        return [{**found[i], "score": score} for i, score in ranked if i in found]

    def keyword(self, query, k=10, where=None):
        return self._ranked(f"bm25: {{query: {json.dumps(' '.join(terms(query)))}, properties: [\"terms\"]}} {self._where_arg(where)}", k)

    def hybrid(self, query, vector, k=10, where=None):
        vector = [float(x) for x in vector]
        return self._ranked(f"hybrid: {{query: {json.dumps(' '.join(terms(query)))}, vector: {json.dumps(vector)}, alpha: 0.5, fusionType: rankedFusion, properties: [\"terms\"]}} {self._where_arg(where)}", k)

    def get(self, ids):
        out = []
        for chunk_id in ids:
            obj = self._request("GET", f"/v1/objects/{self._class}/{self.object_id(chunk_id)}", ok=(404,))
            if obj:
                props = obj.get("properties", {})
                out.append({"id": props.get("chunk_id"), **{name: props.get(name) for name in FIELDS}})
        return out

    def all(self):
        out, after = [], None
        while True:
            path = f"/v1/objects?class={self._class}&limit=500" + (f"&after={after}" if after else "")
            page = self._request("GET", path)["objects"] or []
            for obj in page:
                props = obj.get("properties", {})
                out.append({"id": props.get("chunk_id"), **{name: props.get(name) for name in FIELDS}})
            if len(page) < 500:
                return sorted(out, key=lambda c: c["id"])
            after = page[-1]["id"]

    def count(self, where=None):
        f = self._filter(where)
        query = "{ Aggregate { %s%s { meta { count } } } }" % (self._class, f"(where: {_graphql(f)})" if f else "")
        answer = self._request("POST", "/v1/graphql", {"query": query})
        return int(answer["data"]["Aggregate"][self._class][0]["meta"]["count"])

    def drop(self):
        self._request("DELETE", f"/v1/schema/{self._class}", ok=(200, 404))

    def close(self):
        pass


def _graphql(value):
    """A filter as a GraphQL input object: keys bare, enum operators bare, strings quoted."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value[k] if k == 'operator' else _graphql(value[k])}" for k in value) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_graphql(v) for v in value) + "]"
    return json.dumps(value)


def open_store(spec, embedder, fresh=True):
    """The store a job names: {"kind": "duckdb", "file": ...} or {"kind": "weaviate", "url", "api_key", "collection"}."""
    if spec["kind"] == "duckdb":
        return DuckDbStore(spec["file"], embedder, fresh)
    if spec["kind"] == "weaviate":
        return WeaviateStore(spec["url"], spec.get("api_key"), spec["collection"], embedder, fresh)
    raise StoreError(f"unknown store kind {spec['kind']!r}")
