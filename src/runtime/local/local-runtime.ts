import fs from 'node:fs';
import path from 'node:path';
import type { Scale } from '../../../datasets/ecommerce/generate.js';
import { LabError } from '../../errors.js';
import type { LoadedLab } from '../../lab/load.js';
import type { LabPaths } from '../../paths.js';
import { DuckDbDatabase } from '../../services/duckdb.js';
import { PythonVenv, type StartedPythonVenv } from '../../services/python/python.js';
import { formatCount, formatRate, type Output } from '../../ui/output.js';
import { hiddenSeed, type Dataset, type Runtime, type ServiceReport, type StartedStack, type UpOptions } from '../runtime.js';

/** Scale of the hidden dataset: small, so grading stays fast. */
const HIDDEN_SCALE: Scale = 'small';

interface DatasetMarker {
  seed: number;
  scale: Scale;
  version: string;
  seededAt: string;
  rows: Record<string, number>;
}

/** Real engines in-process (DuckDB) and as local processes (a Python venv); no containers. */
export class LocalRuntime implements Runtime {
  readonly name = 'local' as const;

  constructor(private readonly paths: LabPaths) {}

  private labDir(lab: LoadedLab): string {
    return path.join(this.paths.home, lab.name, 'local');
  }

  private datasetDir(lab: LoadedLab, hidden: boolean): string {
    return path.join(this.labDir(lab), hidden ? 'hidden' : 'data');
  }

  private venv(lab: LoadedLab): PythonVenv | undefined {
    if (!lab.def.pythonRequirements) return undefined;
    // LAB_VENVS lets several lab homes (e.g. test runs) share one venv per lab.
    return new PythonVenv(path.join(process.env.LAB_VENVS ?? path.join(this.paths.home, 'venvs'), lab.name), path.join(lab.dir, lab.def.pythonRequirements));
  }

  async up(lab: LoadedLab, opts: UpOptions): Promise<StartedStack> {
    // The venv check runs while DuckDB seeds: one waits on Python imports, the other on cores.
    const python = this.startPython(lab, opts.output);
    python.catch(() => undefined);
    const main = await this.ensureDataset(lab, { seed: opts.seed, scale: opts.scale, hidden: false, reseed: opts.reseed, output: opts.output });
    const hidden = await this.ensureDataset(lab, { seed: hiddenSeed(opts.seed), scale: HIDDEN_SCALE, hidden: true, reseed: opts.reseed, output: opts.output });
    return { runtime: this.name, lab, datasets: [main, hidden], python: await python };
  }

  private async startPython(lab: LoadedLab, output: Output): Promise<StartedPythonVenv | undefined> {
    const venv = this.venv(lab);
    if (!venv) return undefined;
    const firstTime = !venv.isCurrent();
    const done = output.progress().start(firstTime ? 'Python venv (pinned requirements, first time takes a minute)' : 'Python venv');
    const python = await venv.start((line) => {
      if (/^(Collecting|Successfully installed)/.test(line)) output.info(`      ${line.replace(/ \(from .*$/, '').slice(0, 100)}`);
    });
    done(path.relative(process.cwd(), venv.dir) || venv.dir);
    return python;
  }

  async attach(lab: LoadedLab, opts: { seed: number; scale: Scale }): Promise<StartedStack> {
    const main = await this.openDataset(lab, { seed: opts.seed, scale: opts.scale, hidden: false });
    const hidden = await this.openDataset(lab, { seed: hiddenSeed(opts.seed), scale: HIDDEN_SCALE, hidden: true });
    const venv = this.venv(lab);
    let python: StartedPythonVenv | undefined;
    if (venv) {
      if (!venv.isCurrent()) throw new LabError(`${lab.name}'s Python venv is missing or out of date.`, `Run \`lab up ${lab.name}\` to create it.`);
      python = await venv.start();
    }
    return { runtime: this.name, lab, datasets: [main, hidden], python };
  }

  async down(lab: LoadedLab, opts: { purge?: boolean }): Promise<void> {
    // Nothing runs between commands for in-process engines; purge frees the disk.
    if (opts.purge) fs.rmSync(this.labDir(lab), { recursive: true, force: true });
  }

  async status(lab: LoadedLab): Promise<ServiceReport[]> {
    const reports: ServiceReport[] = [];
    for (const hidden of [false, true]) {
      const dir = this.datasetDir(lab, hidden);
      const marker = readMarker(dir);
      const file = path.join(dir, 'lab.duckdb');
      reports.push({
        service: hidden ? 'duckdb (hidden seed)' : 'duckdb',
        role: 'sql',
        state: marker && fs.existsSync(file) ? 'ready' : 'missing',
        detail: marker && fs.existsSync(file)
          ? `${hidden ? 'hidden seed' : `seed ${marker.seed}`}, ${marker.scale}, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`
          : 'not seeded',
      });
    }
    const venv = this.venv(lab);
    if (venv) reports.push({ service: 'python venv', role: 'python', state: venv.isCurrent() ? 'ready' : 'missing', detail: path.relative(process.cwd(), venv.dir) });
    return reports;
  }

  private label(seed: number, scale: Scale, hidden: boolean): string {
    return hidden ? 'the hidden seed' : `seed ${seed} (${scale})`;
  }

  private async openDataset(lab: LoadedLab, opts: { seed: number; scale: Scale; hidden: boolean }): Promise<Dataset> {
    const dir = this.datasetDir(lab, opts.hidden);
    const marker = readMarker(dir);
    if (!marker || marker.seed !== opts.seed || marker.scale !== opts.scale) {
      throw new LabError(`${lab.name} has no data for ${this.label(opts.seed, opts.scale, opts.hidden)}.`, `Run \`lab up ${lab.name}\` (or \`lab reset ${lab.name}\`) to seed it.`);
    }
    if (marker.version !== lab.def.datasetVersion(opts.seed, opts.scale)) {
      throw new LabError(`${lab.name}'s data was seeded by an older version of the lab.`, `Run \`lab reset ${lab.name}\` to seed it again (your files are kept).`);
    }
    const sql = await new DuckDbDatabase(path.join(dir, 'lab.duckdb')).start({ readOnly: true });
    return { label: this.label(opts.seed, opts.scale, opts.hidden), hidden: opts.hidden, seed: opts.seed, scale: opts.scale, sql, cacheDir: path.join(dir, 'cache') };
  }

  /** Seeds into a fresh file and swaps it in, so a failed seed never leaves half a dataset. */
  private async ensureDataset(
    lab: LoadedLab,
    opts: { seed: number; scale: Scale; hidden: boolean; reseed?: boolean; output: Output },
  ): Promise<Dataset> {
    const dir = this.datasetDir(lab, opts.hidden);
    const marker = readMarker(dir);
    const fresh = marker && marker.seed === opts.seed && marker.scale === opts.scale && marker.version === lab.def.datasetVersion(opts.seed, opts.scale) && fs.existsSync(path.join(dir, 'lab.duckdb'));
    if (fresh && !opts.reseed) {
      opts.output.progress().start(`${opts.hidden ? 'hidden dataset' : 'dataset'} already seeded`)(`${this.label(opts.seed, opts.scale, opts.hidden)}, ${formatCount(sum(marker.rows))} rows`);
      return this.openDataset(lab, opts);
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
      await lab.def.seed(session, {
        seed: opts.seed,
        scale: opts.scale,
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
    return this.openDataset(lab, opts);
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
