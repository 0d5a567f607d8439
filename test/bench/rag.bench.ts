/**
 * `npm run bench` (fourth part): the RAG pieces of month6 on this machine, corpus seed 42, small.
 *   ingestion:  section chunks embedded by the int8 MiniLM process and upserted into the DuckDB store — chunks/s cold, then from the cache
 *   query:      one question embedded and searched in the DuckDB store (exact cosine scan) — p50 / p95
 *   baselines:  recall@5, MRR and nDCG@10 on the held-out questions: BM25 only, dense only, and the two fused with RRF,
 *               over naive 300-character chunks and over section chunks — what the lab's exercises start from
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCorpus, type Doc } from '../../datasets/docs/generate.js';
import { Bm25Index, reciprocalRankFusion } from '../../src/rag/bm25.js';
import { fixedSizeChunks, type Chunk } from '../../src/rag/chunk.js';
import { scoreRetrieval } from '../../src/rag/metrics.js';
import { DuckDbVectorStore } from '../../src/services/duckdb-vectors.js';
import { cosine, Embedder, EMBEDDER_REQUIREMENTS, EMBEDDING_DIM } from '../../src/services/embedder.js';
import { PythonVenv } from '../../src/services/python/python.js';

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

/** Sections of Markdown, rows of a table, bullets of notes; each carries its document's title. */
function sectionChunks(doc: Doc): Chunk[] {
  const out: Chunk[] = [];
  let start = 0;
  for (const part of doc.text.split(/(?=\n## )|(?=\n<tr>)|(?=\n- )/)) {
    out.push({ doc_id: doc.id, start, end: start + part.length, text: `${doc.title}\n${part}` });
    start += part.length;
  }
  return out;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-rag-'));
const venv = await new PythonVenv(path.join(process.env.LAB_VENVS ?? path.resolve('node_modules', '.cache', 'lakehouse-lab', 'venvs'), 'embedder'), EMBEDDER_REQUIREMENTS).start();
const embedder = await new Embedder(venv.python, path.join(work, 'cache.sqlite')).start();
const corpus = generateCorpus(42, 'small');
const held = corpus.questions.filter((q) => q.split === 'held_out' && q.answerable);

try {
  const chunks = corpus.docs.flatMap(sectionChunks);
  const store = await new DuckDbVectorStore(path.join(work, 'vectors.duckdb'), EMBEDDING_DIM).start();
  const ingest = async () => {
    const t0 = performance.now();
    const vectors = await embedder.embed(chunks.map((c) => c.text));
    await store.upsert(chunks.map((c, i) => ({ id: `${c.doc_id}:${c.start}`, doc_id: c.doc_id, start: c.start, end: c.end, text: c.text, meta: {}, vector: vectors[i]! })));
    return { ms: performance.now() - t0, vectors };
  };
  const cold = await ingest();
  const warm = await ingest();
  console.log(`ingestion: ${chunks.length.toLocaleString('en-US')} section chunks of ${corpus.docs.length} documents — cold ${Math.round(chunks.length / (cold.ms / 1000))} chunks/s (${(cold.ms / 1000).toFixed(1)} s), cached ${Math.round(chunks.length / (warm.ms / 1000))} chunks/s; ${await store.count()} stored (upserted twice, one copy)`);

  const latencies: number[] = [];
  for (const q of held.slice(0, 60)) {
    const t0 = performance.now();
    const [v] = await embedder.embed([`${q.question} ${latencies.length}`]);
    await store.nearest(v!, 10);
    latencies.push(performance.now() - t0);
  }
  console.log(`query (embed + DuckDB cosine scan, top 10 of ${chunks.length.toLocaleString('en-US')}): p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p95 ${quantile(latencies, 0.95).toFixed(1)} ms`);
  store.close();

  const questionVectors = await embedder.embed(held.map((q) => q.question));
  for (const [name, list] of [
    ['naive 300-char chunks', corpus.docs.flatMap((d) => fixedSizeChunks(d, 300))],
    ['section chunks', chunks],
  ] as const) {
    const vectors = name === 'section chunks' ? cold.vectors : await embedder.embed(list.map((c) => c.text));
    const bm25 = new Bm25Index(list.map((c) => c.text));
    const runs = { bm25: [] as number[][], dense: [] as number[][], hybrid: [] as number[][] };
    held.forEach((q, i) => {
      const b = bm25.search(q.question, 50).map((r) => r.index);
      const d = vectors.map((v, j) => [j, cosine(questionVectors[i]!, v)] as const).sort((x, y) => y[1] - x[1]).slice(0, 50).map(([j]) => j);
      runs.bm25.push(b);
      runs.dense.push(d);
      runs.hybrid.push(reciprocalRankFusion([b, d]));
    });
    for (const [method, ranked] of Object.entries(runs)) {
      const s = scoreRetrieval(held.map((q, i) => ({ ranked: ranked[i]!.map((j) => list[j]!), passages: q.passages })));
      console.log(`retrieval, ${name}, ${method.padEnd(6)}: recall@5 ${s.recallAt5.toFixed(2)}, MRR ${s.mrr.toFixed(2)}, nDCG@10 ${s.ndcgAt10.toFixed(2)} (${s.questions} held-out questions)`);
    }
  }
} finally {
  await embedder.stop();
  fs.rmSync(work, { recursive: true, force: true });
}

// The whole lab as a learner runs it: `lab check month6` with every reference solution, on the local
// store, cold (a fresh embedding cache beside a fresh venv is not made here: the venv's cache is kept) and again.
{
  const cli = path.resolve('dist', 'src', 'cli.js');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-month6-'));
  const run = (args: string[]) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [cli, ...args], { cwd: home, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    if (r.status !== 0 && args[0] !== 'check') throw new Error(`lab ${args.join(' ')}: ${r.stderr}`);
    return { ms: performance.now() - t0, out: r.stdout };
  };
  try {
    run(['up', 'month6']);
    for (const ex of fs.readdirSync(path.resolve('labs', 'month6', 'exercises'))) fs.copyFileSync(path.resolve('labs', 'month6', 'exercises', ex, 'solution', 'pipeline.py'), path.join(home, 'workspace', 'month6', ex, 'pipeline.py'));
    const first = run(['check', 'month6', '--fresh']);
    const again = run(['check', 'month6', '--fresh']);
    const score = /score (\d+\/\d+)/.exec(first.out)?.[1] ?? '?';
    console.log(`lab check month6 (7 reference pipelines, 2 seeds, local DuckDB store): ${(first.ms / 1000).toFixed(1)} s, again ${(again.ms / 1000).toFixed(1)} s (score ${score})`);
    run(['down', 'month6']);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

// Query latency on Weaviate (the docker runtime's store), when a Podman engine can run here: the same
// section chunks, 200 questions through the lab's Python store client (dense, BM25 and hybrid).
{
  const { podmanUnavailable, startPodman } = await import('../support/podman.js');
  const why = podmanUnavailable();
  if (why) console.log(`weaviate query latency: skipped (${why})`);
  else {
    const cli = path.resolve('dist', 'src', 'cli.js');
    const engine = await startPodman();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-weaviate-'));
    const env = { ...process.env, ...engine.env, LAB_LOCAL_IMAGES: '1', NO_COLOR: '1' };
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: home, encoding: 'utf8', env });
      if (r.status !== 0) throw new Error(`lab ${args.join(' ')}: ${r.stderr.slice(-800)}`);
    };
    try {
      run(['images', 'build', 'month6']);
      run(['up', 'month6', '--runtime', 'docker']);
      const key = /LAB_WEAVIATE_API_KEY=(\S+)/.exec(fs.readFileSync(path.join(home, '.lab', 'month6', 'docker', 'credentials.env'), 'utf8'))![1]!;
      const port = /LAB_WEAVIATE_PORT=(\d+)/.exec(fs.readFileSync(path.join(home, '.lab', 'month6', 'docker', 'credentials.env'), 'utf8'))?.[1] ?? '58088';
      const docs = path.join(home, 'docs.jsonl');
      fs.writeFileSync(docs, corpus.docs.map((d) => JSON.stringify({ doc_id: d.id, path: d.path, format: d.format, kind: d.kind, title: d.title, text: d.text, ...d.meta })).join('\n'));
      const questions = path.join(home, 'questions.json');
      fs.writeFileSync(questions, JSON.stringify(corpus.questions.slice(0, 200).map((q) => q.question)));
      const script = `
import json, sys, time
sys.path.insert(0, ${JSON.stringify(path.resolve('src', 'services', 'python'))})
sys.path.insert(0, ${JSON.stringify(path.resolve('labs', 'month6', 'exercises', '03-hybrid-rrf', 'solution'))})
import lab_rag, pipeline
e = lab_rag.Embedder(${JSON.stringify(path.join(home, 'cache.sqlite'))})
s = lab_rag.WeaviateStore("http://127.0.0.1:${port}", ${JSON.stringify(key)}, "Lab_Bench", e)
pipeline.index(s, [json.loads(l) for l in open(${JSON.stringify(docs)})])
qs = json.load(open(${JSON.stringify(questions)}))
vs = e(qs)
out = {"chunks": s.count()}
for name, f in [("dense", lambda q, v: s.search(v, 10)), ("bm25", lambda q, v: s.keyword(q, 10)), ("hybrid", lambda q, v: s.hybrid(q, v, 10))]:
    ms = []
    for q, v in zip(qs, vs):
        t = time.perf_counter(); f(q, v); ms.append((time.perf_counter() - t) * 1000)
    ms.sort(); out[name] = (ms[len(ms) // 2], ms[int(len(ms) * 0.95)])
s.drop()
print(json.dumps(out))`;
      const venv = path.join(process.env.LAB_VENVS ?? path.resolve('node_modules', '.cache', 'lakehouse-lab', 'venvs'), 'month6', 'bin', 'python');
      const r = spawnSync(venv, ['-c', script], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr.slice(-800));
      const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, [number, number]> & { chunks: number };
      for (const name of ['dense', 'bm25', 'hybrid']) console.log(`weaviate query (${name}, top 10 of ${m.chunks.toLocaleString('en-US')} chunks, query vector precomputed): p50 ${m[name]![0].toFixed(1)} ms, p95 ${m[name]![1].toFixed(1)} ms`);
    } finally {
      spawnSync(process.execPath, [cli, 'down', 'month6', '--volumes'], { cwd: home, env });
      await engine.stop();
      fs.rmSync(home, { recursive: true, force: true });
    }
  }
}
