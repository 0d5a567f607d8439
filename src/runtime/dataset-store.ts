import fs from 'node:fs';
import path from 'node:path';
import type { Scale } from '../../datasets/ecommerce/generate.js';
import { LabError } from '../errors.js';
import type { LoadedLab } from '../lab/load.js';
import { DuckDbDatabase, type SqlSession } from '../services/duckdb.js';
import { formatCount, formatRate, type Output } from '../ui/output.js';
import type { Dataset } from './runtime.js';

interface DatasetMarker {
  seed: number;
  scale: Scale;
  version: string;
  seededAt: string;
  rows: Record<string, number>;
}

export interface DatasetRequest {
  seed: number;
  scale: Scale;
  hidden: boolean;
}

/**
 * Fills a fresh DuckDB session with the lab's tables. The default runs the lab's generator;
 * a runtime may route the data through its own services (e.g. seed Postgres, then extract).
 */
export type SeedInto = (session: SqlSession, opts: { seed: number; scale: Scale; dir: string; onTable: (table: string, rows: number) => void }) => Promise<void>;

/** Seeded DuckDB datasets under one folder: `data/` for the learner's seed, `hidden/` for the grader's. */
export class DatasetStore {
  constructor(private readonly root: string) {}

  dir(hidden: boolean): string {
    return path.join(this.root, hidden ? 'hidden' : 'data');
  }

  describe(hidden: boolean): { ready: boolean; detail: string } {
    const dir = this.dir(hidden);
    const marker = readMarker(dir);
    const file = path.join(dir, 'lab.duckdb');
    if (!marker || !fs.existsSync(file)) return { ready: false, detail: 'not seeded' };
    return { ready: true, detail: `${hidden ? 'hidden seed' : `seed ${marker.seed}`}, ${marker.scale}, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB` };
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  label(seed: number, scale: Scale, hidden: boolean): string {
    return hidden ? 'the hidden seed' : `seed ${seed} (${scale})`;
  }

  async open(lab: LoadedLab, opts: DatasetRequest): Promise<Dataset> {
    const dir = this.dir(opts.hidden);
    const marker = readMarker(dir);
    if (!marker || marker.seed !== opts.seed || marker.scale !== opts.scale) {
      throw new LabError(`${lab.name} has no data for ${this.label(opts.seed, opts.scale, opts.hidden)}.`, `Run \`lab up ${lab.name}\` (or \`lab reset ${lab.name}\`) to seed it.`);
    }
    if (marker.version !== lab.def.datasetVersion(opts.seed, opts.scale)) {
      throw new LabError(`${lab.name}'s data was seeded by an older version of the lab.`, `Run \`lab reset ${lab.name}\` to seed it again (your files are kept).`);
    }
    const sql = await new DuckDbDatabase(path.join(dir, 'lab.duckdb')).start({ readOnly: true });
    return { label: this.label(opts.seed, opts.scale, opts.hidden), hidden: opts.hidden, seed: opts.seed, scale: opts.scale, sql, cacheDir: path.join(dir, 'cache'), dir };
  }

  /** Seeds into a fresh file and swaps it in, so a failed seed never leaves half a dataset. */
  async ensure(
    lab: LoadedLab,
    opts: DatasetRequest & { reseed?: boolean; output: Output; seedInto?: SeedInto },
  ): Promise<Dataset> {
    const dir = this.dir(opts.hidden);
    const marker = readMarker(dir);
    const fresh = marker && marker.seed === opts.seed && marker.scale === opts.scale && marker.version === lab.def.datasetVersion(opts.seed, opts.scale) && fs.existsSync(path.join(dir, 'lab.duckdb'));
    if (fresh && !opts.reseed) {
      opts.output.progress().start(`${opts.hidden ? 'hidden dataset' : 'dataset'} already seeded`)(`${this.label(opts.seed, opts.scale, opts.hidden)}, ${formatCount(sum(marker.rows))} rows`);
      return this.open(lab, opts);
    }
    const tmpDir = `${dir}.seeding-${process.pid}`;
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.mkdirSync(tmpDir, { recursive: true });
    const db = await new DuckDbDatabase(path.join(tmpDir, 'lab.duckdb')).start({ create: true });
    const session = await db.session({ write: true });
    const rows: Record<string, number> = {};
    const bar = opts.output.progress().bar(opts.hidden ? 'seeding hidden dataset' : `seeding ${opts.scale} dataset (seed ${opts.seed})`, lab.def.tables.length);
    const t0 = performance.now();
    try {
      const seedInto: SeedInto = opts.seedInto ?? ((s, o) => lab.def.seed(s, o));
      await seedInto(session, {
        seed: opts.seed,
        scale: opts.scale,
        dir: tmpDir,
        onTable: (table, n) => {
          rows[table] = n;
          const total = sum(rows);
          bar.update(Object.keys(rows).length, `${table} · ${formatCount(total)} rows · ${formatRate(total, performance.now() - t0)}`);
        },
      });
      await session.run('CHECKPOINT');
    } catch (err) {
      session.close();
      fs.rmSync(tmpDir, { recursive: true, force: true });
      throw err;
    }
    session.close();
    const total = sum(rows);
    bar.stop(`${formatCount(total)} rows, ${formatRate(total, performance.now() - t0)}`);
    writeMarker(tmpDir, { seed: opts.seed, scale: opts.scale, version: lab.def.datasetVersion(opts.seed, opts.scale), seededAt: new Date().toISOString(), rows });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmpDir, dir);
    return this.open(lab, opts);
  }
}

function sum(rows: Record<string, number>): number {
  return Object.values(rows).reduce((a, b) => a + b, 0);
}

function readMarker(dir: string): DatasetMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'dataset.json'), 'utf8')) as DatasetMarker;
  } catch {
    return undefined;
  }
}

function writeMarker(dir: string, marker: DatasetMarker): void {
  fs.writeFileSync(path.join(dir, 'dataset.json'), JSON.stringify(marker, null, 2) + '\n');
}
