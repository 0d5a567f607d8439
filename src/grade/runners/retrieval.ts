import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { RetrievalExercise, RetrievalRunContext, RunContext } from '../../lab/define.js';
import { LabError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { quoteLiteral } from '../../sql.js';
import type { SqlSession } from '../../services/duckdb.js';
import type { StartedWeaviate } from '../../services/weaviate.js';
import { SolutionFailure, runEach, type ExerciseRunner, type Job, type Solution, type Target } from './runner.js';

export const RAG_HARNESS = path.join(PACKAGE_ROOT, 'src', 'services', 'python', 'rag_harness.py');
const LAB_RAG = path.join(PACKAGE_ROOT, 'src', 'services', 'python', 'lab_rag.py');
/** Loading the model and the learner's module, before the first job's own limit starts. */
const START_GRACE_MS = 60_000;

type RetrievalExtras = Omit<RetrievalRunContext, keyof RunContext>;

interface Ranked {
  question_id: string;
  ids: string[];
}
interface StoredChunk {
  chunk_id: string;
  doc_id: string;
  text: string;
  [field: string]: unknown;
}
interface JobOutput {
  counts: { after_index: number; after_reindex?: number; after_update?: number };
  chunks: StoredChunk[];
  results: Ranked[];
  dense?: Ranked[];
  bm25?: Ranked[];
  answers?: Array<{ question_id: string; answer: string | null; citations: Array<{ chunk_id: string; quote: string }> }>;
  chunks_after?: StoredChunk[];
  results_after?: Ranked[];
}

/** The documents (and the update batch) as JSON lines, once per dataset revision: what index() receives. */
async function exportDocuments(target: Target): Promise<{ documents: string; updated: string; deleted: string[] }> {
  const dir = path.join(target.dataset.cacheDir, 'documents');
  const documents = path.join(dir, 'documents.jsonl');
  const updated = path.join(dir, 'updated.jsonl');
  const s = target.session;
  if (!fs.existsSync(path.join(dir, '.complete'))) {
    fs.mkdirSync(dir, { recursive: true });
    const rows = async (sql: string) => (await s.queryObjects(sql)).map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v))).join('\n') + '\n';
    fs.writeFileSync(documents, await rows('SELECT * FROM documents ORDER BY doc_id'));
    fs.writeFileSync(updated, await rows('SELECT * FROM updated_documents ORDER BY doc_id'));
    fs.writeFileSync(path.join(dir, '.complete'), new Date().toISOString());
  }
  const deleted = (await s.queryObjects("SELECT doc_id FROM deleted_documents ORDER BY doc_id")).map((r) => String(r.doc_id));
  return { documents, updated, deleted };
}

/** Where the pipeline stores its chunks: a Weaviate collection on a stack that runs one, else a DuckDB file. */
async function storeFor(job: Job, target: Target, solution: Solution, scratch: string): Promise<Record<string, unknown>> {
  const own = `${job.ex.id}-${solution.table}-${target.dataset.hidden ? 'h' : 'l'}-${process.pid}`;
  if (!job.stack.has('vectors')) return { kind: 'duckdb', file: path.join(scratch, `${own}.duckdb`) };
  const weaviate: StartedWeaviate = await job.stack.service('vectors');
  if (!(await weaviate.answers())) throw new LabError(`Weaviate at ${weaviate.connection.url} is not ready: nothing was graded.`, `\`lab status ${job.stack.lab.name}\` shows it; \`lab up ${job.stack.lab.name} --runtime docker\` starts it.`);
  return { kind: 'weaviate', url: weaviate.connection.url, api_key: weaviate.connection.apiKey ?? null, collection: weaviate.collectionName(own) };
}

/** The harness's error line: `pipeline.py:12: KeyError: 'text' (in index())`. */
function failureMessage(solution: Solution, stderr: string): { message: string; timedOut: boolean; infrastructure: boolean } {
  const last = stderr.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!last) return { message: `${solution.rel}: the pipeline's Python exited: ${stderr.trim().split('\n').pop() ?? ''}`.slice(0, 500), timedOut: false, infrastructure: false };
  const error = JSON.parse(last) as { kind: string; message: string; line?: number | null; traceback?: string; timedOut?: boolean };
  const tb = process.env.LAB_DEBUG && error.traceback ? `\n${error.traceback.trimEnd()}` : '';
  return {
    message: `${solution.rel}${error.line ? `:${error.line}` : ''}: ${error.kind === 'BadResult' || error.kind === 'MissingFunction' ? '' : `${error.kind}: `}${error.message}${tb}`,
    timedOut: Boolean(error.timedOut),
    infrastructure: error.kind === 'StoreUnavailable' || error.kind === 'ModelMissing',
  };
}

async function runHarness(python: string, jobsFile: string, timeoutMs: number): Promise<{ code: number | null; stderr: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(python, ['-u', RAG_HARNESS, jobsFile], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let stderr = '';
    let killed = false;
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-30_000)));
    // The harness's own alarm stops a slow pipeline; this stops one stuck in C code.
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs + START_GRACE_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: 1, stderr: JSON.stringify({ kind: 'ModelMissing', message: `cannot start the lab's Python (${python}): ${err.message}` }), killed });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, killed });
    });
  });
}

async function loadRanked(session: SqlSession, table: string, ranked: Ranked[], dir: string): Promise<void> {
  const rows = ranked.flatMap((r) => r.ids.map((id, i) => ({ question_id: r.question_id, rank: i + 1, chunk_id: id })));
  await loadJson(session, table, rows, dir, `question_id VARCHAR, rank INTEGER, chunk_id VARCHAR`);
}

async function loadJson(session: SqlSession, table: string, rows: object[], dir: string, columns: string): Promise<void> {
  const file = path.join(dir, `${table}-${process.pid}.jsonl`);
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  try {
    const cols = columns.split(',').map((c) => c.trim().split(/\s+/));
    const struct = cols.map(([name, type]) => `${name}: '${type}'`).join(', ');
    await session.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${cols.map(([n]) => n).join(', ')} FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', columns = {${struct}})${rows.length === 0 ? ' WHERE false' : ''}`);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const CHUNK_COLUMNS = 'chunk_id VARCHAR, doc_id VARCHAR, text VARCHAR, title VARCHAR, kind VARCHAR, path VARCHAR, status VARCHAR, team VARCHAR, service VARCHAR, policy VARCHAR, version INTEGER, effective VARCHAR, start INTEGER, "end" INTEGER';

/** Runs the pipeline on every target in one Python process (the model loads once), then loads what it did. */
async function runPipeline(job: Job, targets: Target[], solution: Solution): Promise<{ extras: RetrievalExtras[]; failure?: import('./runner.js').RunFailure }> {
  const def = job.ex.def as unknown as RetrievalExercise;
  const python = await job.stack.service('python');
  const jobs: Array<Record<string, unknown>> = [];
  for (const t of targets) {
    const scratch = path.join(t.dataset.cacheDir, 'runs');
    fs.mkdirSync(scratch, { recursive: true });
    const docs = await exportDocuments(t);
    const questions = await t.session.queryObjects("SELECT question_id AS id, question FROM questions ORDER BY question_id");
    const output = path.join(scratch, `${job.ex.id}-${solution.table}-${process.pid}.json`);
    fs.rmSync(output, { force: true });
    t.scratch.push(output);
    jobs.push({
      store: await storeFor(job, t, solution, scratch),
      documents: docs.documents,
      questions,
      k: def.k ?? 10,
      answers: Boolean(def.answers),
      baselines: Boolean(def.baselines),
      reingest: Boolean(def.update),
      update: def.update ? { documents: docs.updated, deleted: docs.deleted } : null,
      output,
    });
  }
  const jobsFile = path.join(path.dirname(String(jobs[0]!.output)), `${job.ex.id}-${solution.table}-${process.pid}.jobs.json`);
  // Beside the venv: vectors are computed once per text on this machine, for every run and lab home.
  const embedCache = path.join(path.dirname(path.dirname(python.python)), 'embeddings.sqlite');
  fs.writeFileSync(jobsFile, JSON.stringify({ module: solution.file, embed_cache: embedCache, timeout_s: Math.ceil(solution.timeoutMs / 1000), jobs }));
  for (const j of jobs) {
    const store = j.store as { kind: string; file?: string };
    if (store.file) targets[jobs.indexOf(j)]!.scratch.push(store.file, `${store.file}.wal`);
  }
  let run: Awaited<ReturnType<typeof runHarness>>;
  try {
    run = await runHarness(python.python, jobsFile, solution.timeoutMs * targets.length);
  } finally {
    fs.rmSync(jobsFile, { force: true });
  }
  const extras: RetrievalExtras[] = targets.map(() => ({ chunksTable: 'chunks', counts: { afterIndex: 0 } }));
  const failure = await runEach(targets, async (t) => {
    const index = targets.indexOf(t);
    const outFile = String(jobs[index]!.output);
    if (!fs.existsSync(outFile)) {
      if (run.killed) throw new SolutionFailure(`${solution.rel}: stopped: the pipeline was still running after ${Math.round(solution.timeoutMs / 1000)} s`, true);
      const f = failureMessage(solution, run.stderr);
      if (f.infrastructure) {
        const lab = job.stack.lab.name;
        throw new LabError(`The lab's store or model did not run: ${f.message.replace(`${solution.rel}: `, '')}`, `\`lab status ${lab}\` shows what is down; \`lab up ${lab}\` starts or repairs it. Nothing was graded.`);
      }
      throw new SolutionFailure(f.message, f.timedOut);
    }
    const out = JSON.parse(fs.readFileSync(outFile, 'utf8')) as JobOutput;
    extras[index] = await loadOutput(t, solution.table, out);
  });
  return { extras, failure };
}

async function loadOutput(t: Target, table: string, out: JobOutput): Promise<RetrievalExtras> {
  const dir = path.join(t.dataset.cacheDir, 'runs');
  const s = t.session;
  const chunks = `${table}_chunks`;
  await loadRanked(s, table, out.results, dir);
  await loadJson(s, chunks, out.chunks, dir, CHUNK_COLUMNS);
  const extras: RetrievalExtras = { chunksTable: chunks, counts: { afterIndex: out.counts.after_index, afterReindex: out.counts.after_reindex, afterUpdate: out.counts.after_update } };
  if (out.dense && out.bm25) {
    await loadRanked(s, `${table}_dense`, out.dense, dir);
    await loadRanked(s, `${table}_bm25`, out.bm25, dir);
    Object.assign(extras, { denseTable: `${table}_dense`, bm25Table: `${table}_bm25` });
  }
  if (out.answers) {
    await loadJson(s, `${table}_answers`, out.answers.map((a) => ({ question_id: a.question_id, answer: a.answer, abstained: a.answer === null })), dir, 'question_id VARCHAR, answer VARCHAR, abstained BOOLEAN');
    await loadJson(s, `${table}_citations`, out.answers.flatMap((a) => a.citations.map((c, n) => ({ question_id: a.question_id, n: n + 1, chunk_id: c.chunk_id, quote: c.quote }))), dir, 'question_id VARCHAR, n INTEGER, chunk_id VARCHAR, quote VARCHAR');
    Object.assign(extras, { answersTable: `${table}_answers`, citationsTable: `${table}_citations` });
  }
  if (out.chunks_after && out.results_after) {
    await loadJson(s, `${table}_chunks_after`, out.chunks_after, dir, CHUNK_COLUMNS);
    await loadRanked(s, `${table}_after`, out.results_after, dir);
    Object.assign(extras, { chunksAfterTable: `${table}_chunks_after`, resultsAfterTable: `${table}_after` });
  }
  return extras;
}

export const retrievalRunner: ExerciseRunner<'retrieval'> = {
  kind: 'retrieval',
  // Indexing a corpus embeds a few thousand chunks the first time (the cache makes it seconds after).
  defaultTimeoutMs: 300_000,
  lane: 'python',
  fingerprint: async () => [RAG_HARNESS, LAB_RAG].map((f) => fs.readFileSync(f, 'utf8')),
  // Judged against the dataset's labelled passages: nothing to build.
  prepareReference: async () => undefined,
  async runLearner(job, targets, solution) {
    const { extras, failure } = await runPipeline(job, targets, solution);
    return { failure, extras };
  },
};
