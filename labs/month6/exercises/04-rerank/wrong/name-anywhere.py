# Wrong: any chunk naming the service goes first, meeting notes that mention it included.
"""
04 · A reranker. The first stage (store.hybrid, given) finds the answer somewhere in the top 30
more often than first. Write rerank(question, candidates): reorder the candidates with what the
first stage cannot see, then retrieve() returns the reranked top k.

Graded on the held-out questions: MRR >= 0.84 (the answer first) and nDCG@10 >= 0.80 (graded
relevance: the runbook itself counts more than a table row or a draft copy that also says it).
Candidates are hits with their metadata: kind, status, service, team, title, text, score.
The traps: meeting notes and draft copies use the same words as the pages in force; a question
names one service (or error code) exactly, and its neighbours (ledger-api, ledger-worker) read alike.
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


def index(store, documents):
    """Given: every document chunked (01's chunker), embedded in one batch, stored with its metadata."""
    chunks = []
    for d in documents:
        for n, c in enumerate(chunk(d)):
            chunks.append({**metadata(d), **c, "id": f"{d['doc_id']}:{n}"})
    for c, v in zip(chunks, store.embed([c["text"] for c in chunks])):
        c["vector"] = v
    store.upsert(chunks)


def candidates(store, question, n=30):
    """Given: the first stage, the store's own hybrid search."""
    return store.hybrid(question, store.embed([question])[0], n)


def retrieve(store, question, k):
    return rerank(question, candidates(store, question))[:k]


SERVICE = re.compile(r"\b[a-z]+-(?:api|worker|gateway|scheduler|store)\b")


def rerank(question, candidates):
    """Wrong: chunks naming the service anywhere in their text go first, meeting notes included."""
    named = set(SERVICE.findall(question.lower()))
    order = sorted(range(len(candidates)), key=lambda i: (-any(n in candidates[i]["text"] for n in named), i))
    return [candidates[i] for i in order]
