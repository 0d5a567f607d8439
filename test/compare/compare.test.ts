import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAIRS } from '../../src/compare/pairs/index.js';
import { bulkLoad } from '../../src/compare/pairs/bulk-load.js';
import { definePair } from '../../src/compare/pair.js';
import { runPair, type CompareEngines, type CompareOptions } from '../../src/compare/run.js';
import { crossover, describeRatio, growthExponent, ratioOf, summarize } from '../../src/compare/measure.js';
import { loadLab } from '../../src/lab/load.js';
import { resolvePaths } from '../../src/paths.js';
import { startLabPython } from '../../src/runtime/lab-python.js';
import { startTemporaryService, type TemporaryService } from '../../src/runtime/local/processes.js';
import { kafkaService, type KafkaConnection } from '../../src/services/kafka.js';
import { localPostgresProcess, postgresService, probePostgres } from '../../src/services/postgres.js';
import { consoleOutput } from '../../src/ui/output.js';
import { scratchDir } from '../helpers.js';

const output = consoleOutput({ quiet: true });
const home = scratchDir('compare');
const started: Array<TemporaryService<unknown>> = [];
let engines: CompareEngines;

const options = (over: Partial<CompareOptions>): CompareOptions => ({ scales: [2_000], runs: 1, warmup: 0, budgetMs: 60_000, seed: 42, dataDir: path.join(home, 'data'), engines, output, ...over });

beforeAll(async () => {
  const postgres = await startTemporaryService(postgresService, localPostgresProcess, process.env.LAB_DOWNLOADS!, output);
  started.push(postgres);
  const kafka = await startTemporaryService<KafkaConnection>(kafkaService, kafkaService.local!, process.env.LAB_DOWNLOADS!, output);
  started.push(kafka);
  const python = await startLabPython(resolvePaths({}, home), await loadLab('month1'), output);
  engines = {
    postgres: { config: postgres.connection, where: 'local' },
    kafka: { brokers: kafka.connection.brokers, where: 'local' },
    python: { python: python!.python, where: 'month1 venv' },
    missing: {},
  };
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

describe('lab compare: the measurements', () => {
  it('summarizes runs as hyperfine does: median, MAD, outliers, a ratio with its spread, growth and crossover', () => {
    const t = summarize([10, 11, 12, 11, 100]);
    expect(t).toMatchObject({ medianMs: 11, minMs: 10, maxMs: 100, madMs: 1, outliers: 1 });
    const { ratio, spread } = ratioOf(summarize([100, 100, 110]), summarize([10, 10, 10]));
    expect(ratio).toBe(10);
    expect(spread).toBe(0);
    expect(describeRatio(18.4, 1.2)).toBe('18.4 ± 1.20× faster');
    expect(describeRatio(0.25, 0.01)).toMatch(/^4\.00 ± 0\.16× slower$/);
    expect(growthExponent([{ rows: 1e4, ms: 10 }, { rows: 1e5, ms: 1000 }])).toBeCloseTo(2);
    expect(crossover([{ rows: 1e3, ratio: 0.5 }, { rows: 1e4, ratio: 2 }])).toBeCloseTo(Math.sqrt(1e7));
  });
});

describe('lab compare: every pair on real engines', () => {
  it.each(PAIRS.map((p) => [p.id, p] as const))('%s: both sides give the same answer on two seeds, and the seeds give different answers', async (_id, pair) => {
    const digests: string[] = [];
    for (const seed of [42, 7]) {
      const r = await runPair(pair, options({ seed }));
      const row = r.results[0]!;
      expect(r.skipped).toBeUndefined();
      for (const side of [row.backend, row.data, ...row.also]) expect({ side: side.label, status: side.status, message: side.message }).toEqual({ side: side.label, status: 'measured', message: undefined });
      expect(row.sameAnswer).toBe(true);
      expect(row.ratio).toBeGreaterThan(0);
      digests.push(row.backend.digest!);
    }
    // A side that printed a constant would agree with itself on both seeds.
    expect(digests[0]).not.toBe(digests[1]);
  });

  it('stops a side past its budget instead of waiting, and does not run it at larger scales', async () => {
    const t0 = Date.now();
    const r = await runPair(bulkLoad, options({ scales: [2_000, 4_000], runs: 5, warmup: 1, budgetMs: 300 }));
    const [small, large] = r.results;
    expect(small!.backend).toMatchObject({ status: 'over-budget', message: expect.stringMatching(/^stopped: run 1 took longer than/) });
    expect(large!.backend).toMatchObject({ status: 'over-budget', message: 'not run: already over budget at 2,000 rows' });
    expect(small!.data.status).toBe('measured');
    expect(small!.sameAnswer).toBeUndefined();
    expect(small!.ratio).toBeUndefined();
    // 2,000 autocommitted INSERTs alone take seconds: six runs would take far longer than this.
    expect(Date.now() - t0).toBeLessThan(60_000);
    // The side's process is gone: its Postgres session ends with it.
    await probePostgres(engines.postgres!.config as never);
  });

  it('says so loudly when the two sides disagree', async () => {
    const file = path.join(home, 'disagree.py');
    fs.writeFileSync(file, 'def open_(ctx):\n    return ctx["seed"]\n\ndef right(s):\n    return [[1, s]]\n\ndef wrong(s):\n    return [[1, s + 1]]\n');
    const pair = definePair({
      id: 'disagree',
      title: 'two sides that differ',
      habit: { backend: 'a', data: 'b' },
      needs: ['python'],
      lesson: [],
      prepare: async () => undefined,
      backend: { label: 'right', engine: 'python', python: { file, open: 'open_', run: 'right' } },
      data: { label: 'wrong', engine: 'python', python: { file, open: 'open_', run: 'wrong' } },
    });
    const r = await runPair(pair, options({}));
    expect(r.sameAnswer).toBe(false);
    expect(r.results[0]!.sameAnswer).toBe(false);
  });

  it('skips a pair whose engine is missing, and says why', async () => {
    const r = await runPair(bulkLoad, options({ engines: { missing: { postgres: 'No PostgreSQL server is installed here' } } }));
    expect(r.skipped).toBe('needs postgres: No PostgreSQL server is installed here');
    expect(r.engines.postgres).toMatch(/^missing/);
  });
});
