# Wrong: chunk ids from their content; an edit adds new ids and the old text stays.
"""
07 · Ingest again, without duplicates; edits and deletes. The nightly job runs index() on every
document again, and then update(store, documents, deleted) with the day's changes: new versions
of edited documents (same doc_id) and the ids of deleted ones.

Graded: index() run twice stores each chunk once (deterministic ids, e.g. uuid5 of document and
position, not uuid4); after update(), no chunk of a deleted document is stored or returned, the
edited documents keep none of their old text, and questions about them find the new answer.
The trap: an edited document can have fewer chunks than before, so upserting its new chunks
leaves the old last ones behind (a stale chunk is a wrong answer, found and cited).
"""
import re
import uuid

MAX_CHARS = 800
HEADING = re.compile(r"(?m)^#{1,3} ")
ROW = re.compile(r"<tr>.*?</tr>")
TAG = re.compile(r"<[^>]+>")


def chunk(document):
    """Sections of a Markdown page (split at headings, then at 800 characters), one row of an HTML
    table each; every chunk starts with the document's title, so it says what it is about."""
    text, title = document["text"], document["title"]
    pieces = []
    if document["format"] == "html":
        for m in ROW.finditer(text):
            cells = [c.strip() for c in TAG.sub("|", m.group(0)).split("|") if c.strip()]
            pieces.append((m.start(), m.end(), " | ".join(cells)))
    else:
        starts = [m.start() for m in HEADING.finditer(text)] or [0]
        if starts[0] != 0:
            starts.insert(0, 0)
        for a, b in zip(starts, starts[1:] + [len(text)]):
            for s in range(a, b, MAX_CHARS):
                e = min(b, s + MAX_CHARS)
                if text[s:e].strip():
                    pieces.append((s, e, text[s:e].strip()))
    return [{"text": f"{title}\n{body}", "start": s, "end": e} for s, e, body in pieces]


def metadata(document):
    return {k: document.get(k) for k in ("doc_id", "title", "kind", "path", "status", "team", "service", "policy", "version", "effective")}


import hashlib


def chunks_of(d):
    return [{**metadata(d), **c, "id": hashlib.sha256(c["text"].encode()).hexdigest()} for n, c in enumerate(chunk(d))]


def store_chunks(store, chunks):
    for c, v in zip(chunks, store.embed([c["text"] for c in chunks])):
        c["vector"] = v
    store.upsert(chunks)


def index(store, documents):
    store_chunks(store, [c for d in documents for c in chunks_of(d)])


def update(store, documents, deleted):
    """Wrong: ids from the chunk's content: re-ingesting is idempotent, but an edit adds new ids and the old text stays."""
    for doc_id in deleted:
        store.delete(where={"doc_id": doc_id})
    index(store, documents)


def retrieve(store, question, k):
    return store.hybrid(question, store.embed([question])[0], k)
