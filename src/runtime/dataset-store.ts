import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import type { LoadedLab } from '../lab/load.js';
import type { Scale } from '../lab/scale.js';
import { removeLeftovers } from '../pids.js';
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

/** Caches of an older revision of the data, untouched this long, are removed when a dataset is opened. */
const STALE_CACHE_MS = 10 * 60_000;

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

  /** Whether this seed and scale are seeded, by this version of the lab. */
  isFresh(lab: LoadedLab, req: DatasetRequest): boolean {
    const dir = this.dir(req.hidden);
    const marker = readMarker(dir);
    return Boolean(marker && marker.seed === req.seed && marker.scale === req.scale && marker.version === lab.def.datasetVersion(req.seed, req.scale) && fs.existsSync(path.join(dir, 'lab.duckdb')));
  }

  async open(lab: LoadedLab, req: DatasetRequest): Promise<Dataset> {
    const dir = this.dir(req.hidden);
    const marker = readMarker(dir);
    if (!marker || marker.seed !== req.seed || marker.scale !== req.scale) {
      throw new LabError(`${lab.name} has no data for ${this.label(req.seed, req.scale, req.hidden)}.`, `Run \`lab up ${lab.name}\` (or \`lab reset ${lab.name}\`) to seed it.`);
    }
    if (marker.version !== lab.def.datasetVersion(req.seed, req.scale)) {
      throw new LabError(`${lab.name}'s data was seeded by an older version of the lab.`, `Run \`lab reset ${lab.name}\` to seed it again (your files are kept).`);
    }
    const sql = await new DuckDbDatabase(path.join(dir, 'lab.duckdb')).start({ readOnly: true });
    const revision = datasetRevision(lab, dir);
    pruneCaches(path.join(dir, 'cache'), revision);
    return { label: this.label(req.seed, req.scale, req.hidden), hidden: req.hidden, seed: req.seed, scale: req.scale, sql, revision, cacheDir: path.join(dir, 'cache', revision), dir };
  }

  /** Seeds into a fresh folder and swaps it in, so a failed seed never leaves half a dataset. */
  async ensure(lab: LoadedLab, req: DatasetRequest & { reseed?: boolean; output: Output; seedInto?: SeedInto }): Promise<Dataset> {
    const dir = this.dir(req.hidden);
    if (this.isFresh(lab, req) && !req.reseed) {
      const marker = readMarker(dir)!;
      req.output.progress().start(`${req.hidden ? 'hidden dataset' : 'dataset'} already seeded`)(`${this.label(req.seed, req.scale, req.hidden)}, ${formatCount(sum(marker.rows))} rows`);
      return this.open(lab, req);
    }
    // An interrupted seeding left its folder: gone with its process.
    removeLeftovers(this.root, /^(?:data|hidden)\.seeding-(\d+)$/);
    const tmpDir = `${dir}.seeding-${process.pid}`;
    fs.rmSync(tmpDir, { recursive: true, force: true });
    fs.mkdirSync(tmpDir, { recursive: true });
    const db = await new DuckDbDatabase(path.join(tmpDir, 'lab.duckdb')).start({ create: true });
    const session = await db.session({ write: true });
    const rows: Record<string, number> = {};
    const bar = req.output.progress().bar(req.hidden ? 'seeding hidden dataset' : `seeding ${req.scale} dataset (seed ${req.seed})`, lab.def.tables.length);
    const t0 = performance.now();
    try {
      const seedInto: SeedInto = req.seedInto ?? ((s, o) => lab.def.seed(s, o));
      await seedInto(session, {
        seed: req.seed,
        scale: req.scale,
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
    writeMarker(tmpDir, { seed: req.seed, scale: req.scale, version: lab.def.datasetVersion(req.seed, req.scale), seededAt: new Date().toISOString(), rows });
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmpDir, dir);
    return this.open(lab, req);
  }
}

/**
 * The data's revision: its seeding marker and the files of the lab's data folders (names, sizes,
 * times). A landed drop or a reseed is a new revision, so no cache needs deleting by hand.
 */
export function datasetRevision(lab: LoadedLab, dir: string): string {
  const hash = crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'dataset.json')));
  for (const folder of lab.def.dataFolders?.(dir) ?? []) {
    if (!fs.existsSync(folder)) continue;
    hash.update(`\n${path.relative(dir, folder)}`);
    for (const f of (fs.readdirSync(folder, { recursive: true }) as string[]).sort()) {
      const st = fs.statSync(path.join(folder, f));
      if (st.isFile()) hash.update(`\n${f}:${st.size}:${st.mtimeMs}`);
    }
  }
  return hash.digest('hex').slice(0, 12);
}

/** Caches of other revisions (and of the layout before revisions) that nothing touched for a while. */
function pruneCaches(cacheRoot: string, current: string): void {
  if (!fs.existsSync(cacheRoot)) return;
  for (const entry of fs.readdirSync(cacheRoot)) {
    if (entry === current) continue;
    const full = path.join(cacheRoot, entry);
    try {
      if (Date.now() - fs.statSync(full).mtimeMs > STALE_CACHE_MS) fs.rmSync(full, { recursive: true, force: true });
    } catch {
      // another process pruned it first
    }
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
