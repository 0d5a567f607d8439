import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import type { SqlSession } from '../services/duckdb.js';
import { removeLeftovers } from '../pids.js';
import { sqlCode, trimStatement } from '../sql.js';
import type { LoadedExercise, LoadedLab } from './load.js';

/** A model file is named after the table it builds: `silver.orders.sql` builds `silver.orders`. */
export const MODEL_FILE = /^(silver|gold)\.([a-z_][a-z0-9_]*)\.sql$/;
export const MODEL_LAYERS = ['silver', 'gold'] as const;
export type ModelLayer = (typeof MODEL_LAYERS)[number];

export interface Model {
  /** `silver.orders` */
  name: string;
  layer: ModelLayer;
  table: string;
  file: string;
  sql: string;
  /** From a `-- @partition_by <column>` line: the Parquet files go under <column>=<value>/ folders. */
  partitionBy?: string;
  /**
   * From a `-- @incremental` line (with a partition column): a run replaces only the partitions its
   * result has, so a run for one day (`getvariable('run_day')`) rewrites that day and nothing else.
   */
  incremental: boolean;
  /** The silver and gold tables this model reads (bronze tables are sources, always there). */
  deps: string[];
}

/** Reads a model file: its table from the file name, its upstream tables from the query (as dbt's ref does). */
export function parseModel(file: string, sql = fs.readFileSync(file, 'utf8')): Model {
  const m = MODEL_FILE.exec(path.basename(file));
  if (!m) throw new LabError(`${path.basename(file)} is not a model file name.`, 'Name a model after its table: silver.orders.sql builds silver.orders.');
  const name = `${m[1]}.${m[2]}`;
  const partitionBy = /^\s*--\s*@partition_by\s+([A-Za-z_][A-Za-z0-9_]*)\s*$/m.exec(sql)?.[1];
  const deps = [...new Set([...sqlCode(sql).matchAll(/\b(silver|gold)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\b/gi)].map((r) => `${r[1]!.toLowerCase()}.${r[2]!.toLowerCase()}`))].filter((d) => d !== name);
  const incremental = /^\s*--\s*@incremental\s*$/m.test(sql);
  if (incremental && !partitionBy) throw new LabError(`${path.basename(file)} is @incremental but has no @partition_by column.`, 'An incremental model replaces partitions: add `-- @partition_by <column>`.');
  return { name, layer: m[1] as ModelLayer, table: m[2]!, file, sql, partitionBy, incremental, deps };
}

/** Dependency order: every model after the models it reads. A cycle or an unknown table is one clear error. */
export function orderModels(models: Model[], known: Iterable<string> = []): Model[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const available = new Set(known);
  for (const m of models) {
    for (const d of m.deps) {
      if (!byName.has(d) && !available.has(d)) {
        throw new LabError(`${path.basename(m.file)} reads ${d}, which no model builds.`, `Models: ${[...byName.keys()].sort().join(', ')}. Check the table name (layer.table).`);
      }
    }
  }
  const ordered: Model[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (m: Model, trail: string[]) => {
    if (state.get(m.name) === 'done') return;
    if (state.get(m.name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(m.name)), m.name];
      throw new LabError(`The models read each other in a cycle: ${cycle.join(' → ')}.`, 'A pipeline flows one way (bronze → silver → gold): remove one of those reads.');
    }
    state.set(m.name, 'visiting');
    for (const d of m.deps) {
      const dep = byName.get(d);
      if (dep) visit(dep, [...trail, m.name]);
    }
    state.set(m.name, 'done');
    ordered.push(m);
  };
  for (const m of [...models].sort((a, b) => a.name.localeCompare(b.name))) visit(m, []);
  return ordered;
}

export function modelDir(lakeDir: string, name: string): string {
  const [layer, table] = name.split('.') as [string, string];
  return path.join(lakeDir, layer, table);
}

/** A view over a model's Parquet files, with its partition column read back from the folder names. */
export function modelViewSql(name: string, dir: string): string {
  return `CREATE OR REPLACE VIEW ${name} AS SELECT * FROM read_parquet('${dir.replace(/'/g, "''")}/**/*.parquet', hive_partitioning = true, union_by_name = true)`;
}

export interface MaterializedModel {
  name: string;
  dir: string;
  rows: number;
  files: number;
  partitionBy?: string;
}

/**
 * Writes a model's result as Parquet into its folder, replacing what was there (so a rerun gives
 * the same files), then points the `layer.table` view at it.
 */
export async function materializeModel(session: SqlSession, model: Pick<Model, 'name' | 'sql' | 'partitionBy'> & { incremental?: boolean }, dir: string, opts: { timeoutMs?: number } = {}): Promise<MaterializedModel> {
  const body = trimStatement(model.sql);
  // A hidden sibling, so no reader takes it for a table; one an interrupted run left is removed here.
  const tmp = path.join(path.dirname(dir), `.${path.basename(dir)}.writing-${process.pid}`);
  removeLeftovers(path.dirname(dir), new RegExp(`^\\.${path.basename(dir)}\\.writing-(\\d+)$`));
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(tmp), { recursive: true });
  const copy = model.partitionBy
    ? `COPY (${body}\n) TO '${tmp}' (FORMAT parquet, PARTITION_BY (${model.partitionBy}), FILENAME_PATTERN 'part_{i}')`
    : `COPY (${body}\n) TO '${path.join(tmp, 'part_0.parquet')}' (FORMAT parquet)`;
  if (!model.partitionBy) fs.mkdirSync(tmp, { recursive: true });
  try {
    if (opts.timeoutMs) await session.runWithTimeout(copy, opts.timeoutMs);
    else await session.run(copy);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  let files = (fs.readdirSync(tmp, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet'));
  if (files.length === 0) {
    // No rows, so no partition folders: keep one empty file so the table still has its columns.
    fs.mkdirSync(tmp, { recursive: true });
    await session.run(`COPY (SELECT * FROM (${body}\n) LIMIT 0) TO '${path.join(tmp, 'empty.parquet')}' (FORMAT parquet)`);
    files = ['empty.parquet'];
  }
  if (model.incremental && fs.existsSync(dir)) {
    // Replace only the partitions this run produced; every other partition keeps its files.
    const parts = fs.readdirSync(tmp).filter((d) => d.includes('='));
    for (const part of parts) {
      fs.rmSync(path.join(dir, part), { recursive: true, force: true });
      fs.renameSync(path.join(tmp, part), path.join(dir, part));
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  }
  await session.run(modelViewSql(model.name, dir));
  const rows = Number(await session.scalar(`SELECT count(*) FROM ${model.name}`));
  return { name: model.name, dir, rows, files: files.length, partitionBy: model.partitionBy };
}

export function modelExercises(lab: LoadedLab): LoadedExercise[] {
  return lab.exercises.filter((e) => e.def.kind === 'model');
}

/** An exercise's reference in an engine's dialect: solution/<dialect>/<file>; '' is the checks' own (DuckDB's). */
export function dialectSolutionFile(ex: LoadedExercise, dialect: string): string {
  return dialect ? path.join(ex.dir, 'solution', dialect, ex.def.file) : ex.solutionFile;
}

/** The reference pipeline: every model exercise's reference solution, in dependency order. */
export function referenceModels(lab: LoadedLab, dialect = ''): Model[] {
  return orderModels(modelExercises(lab).map((e) => parseModel(dialectSolutionFile(e, dialect))));
}

/** Changes whenever a reference model does: the reference pipeline is built again then. */
export function referenceDigest(lab: LoadedLab, dialect = ''): string {
  const hash = crypto.createHash('sha256').update(dialect);
  for (const e of modelExercises(lab)) hash.update(e.id).update(fs.readFileSync(dialectSolutionFile(e, dialect)));
  return hash.digest('hex').slice(0, 16);
}
