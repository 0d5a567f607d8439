import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../../errors.js';
import { removeLeftovers } from '../../pids.js';
import { compareTables } from '../../lab/compare.js';
import { fail, pass, type CheckOutcome, type NextDrop } from '../../lab/define.js';
import type { LoadedLab } from '../../lab/load.js';
import { materializeModel, modelDir, modelViewSql, parseModel, referenceDigest, referenceModels, type Model } from '../../lab/models.js';
import { duckdbErrorMessage, QueryTimeoutError, type SqlSession } from '../../services/duckdb.js';
import { quoteLiteral, trimStatement } from '../../sql.js';
import { openDatasetSession } from '../dataset-session.js';
import type { Dataset } from '../runtime.js';
import { ModelBuildError, type ModelEngine } from './engine.js';

/** Builds (once per dataset revision and reference version) the lake of the reference pipeline; returns its folder. */
export async function referenceLake(lab: LoadedLab, dataset: Dataset): Promise<string> {
  const dir = path.join(dataset.cacheDir, 'reference-lake', referenceDigest(lab));
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  removeLeftovers(path.dirname(dir), /\.building-(\d+)$/);
  const tmp = `${dir}.building-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const session = await openDatasetSession(lab, dataset);
  try {
    for (const model of referenceModels(lab)) {
      try {
        await materializeModel(session, model, modelDir(tmp, model.name));
      } catch (err) {
        throw new Error(`The reference model ${model.name} of ${lab.name} failed on ${dataset.label}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    session.close();
  }
  fs.writeFileSync(path.join(tmp, '.complete'), new Date().toISOString());
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return dir;
}

/** Points every reference table except `except` at the reference lake, so a learner's model reads trusted upstream data. */
export async function useReferenceUpstream(session: SqlSession, lab: LoadedLab, lake: string, except?: string): Promise<void> {
  for (const model of referenceModels(lab)) {
    if (model.name !== except) await session.run(modelViewSql(model.name, modelDir(lake, model.name)));
  }
}

/** A DuckDB failure as the learner reads it: the time limit, a lab rule (an @incremental model without a partition), or the engine's own error. */
function buildError(rel: string, err: unknown): ModelBuildError {
  if (err instanceof QueryTimeoutError) return new ModelBuildError(`${rel}: ${err.message}`, true);
  if (err instanceof LabError) return new ModelBuildError(`${rel}: ${err.message}`);
  return new ModelBuildError(duckdbErrorMessage(rel, err));
}

/** Identity of every file of a model's folder: a rewritten file is a new file, even with the same bytes. */
function partitionFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
    const st = fs.statSync(path.join(dir, f));
    if (st.isFile()) out.set(f, `${st.ino}:${st.mtimeMs}:${st.size}`);
  }
  return out;
}

/**
 * The incremental promise: with the next day's drop landed, a run for that day rewrites that
 * day's partition — with the same rows a full rebuild gives for it — and no other file.
 */
export async function checkIncrementalRun(session: SqlSession, drop: NextDrop, learner: Pick<Model, 'name' | 'sql' | 'partitionBy'> & { dir: string }, reference: Model): Promise<CheckOutcome> {
  const day = drop.day;
  const copy = `${learner.dir}-incremental`;
  fs.rmSync(copy, { recursive: true, force: true });
  fs.cpSync(learner.dir, copy, { recursive: true });
  const before = partitionFiles(copy);
  const col = learner.partitionBy!;
  try {
    for (const sql of drop.land) await session.run(sql);
    await session.run(`SET VARIABLE run_day = DATE '${day}'`);
    await materializeModel(session, { name: learner.name, sql: learner.sql, partitionBy: learner.partitionBy, incremental: true }, copy);
    await session.run('SET VARIABLE run_day = NULL');
    await session.run(`CREATE OR REPLACE TEMP TABLE __full_day AS SELECT * FROM (${trimStatement(reference.sql)}\n) WHERE ${col} = DATE '${day}'`);
  } finally {
    await session.run('SET VARIABLE run_day = NULL');
    for (const sql of drop.unland) await session.run(sql);
  }
  const after = partitionFiles(copy);
  const touched = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
  const otherDays = touched.filter((f) => !f.startsWith(`${col}=${day}/`));
  try {
    if (otherDays.length) {
      return fail(`a run for ${day} rewrote ${otherDays.length} files of other days, e.g. ${otherDays[0]}: filter the model to getvariable('run_day') when it is set, so only that day's partition is produced`);
    }
    if (!touched.length) return fail(`a run for ${day} (the next day's drop) did not write that day's partition ${col}=${day}/: does the model read the new drop?`);
    await session.run(`CREATE OR REPLACE TEMP TABLE __learner_day AS SELECT * FROM read_parquet(${quoteLiteral(`${copy}/**/*.parquet`)}, hive_partitioning = true, union_by_name = true) WHERE ${col} = DATE '${day}'`);
    const same = await compareTables(session, '__learner_day', '__full_day', {});
    if (same.status !== 'pass') return fail(`the partition a run for ${day} wrote differs from a full rebuild's: ${same.message}`);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
    await session.run(modelViewSql(learner.name, learner.dir));
  }
  return pass(`a run for ${day} rewrote only ${col}=${day}/ (${touched.length} file${touched.length === 1 ? '' : 's'})`);
}

/** DuckDB over the lake folder: the default engine on every runtime, and the judge of every other. */
export const duckdbModelEngine: ModelEngine = {
  name: 'duckdb',
  label: 'DuckDB',
  dialect: '',

  async referenceFiles(lab, ex, dataset) {
    const model = parseModel(ex.solutionFile);
    return { dir: modelDir(await referenceLake(lab, dataset), model.name), partitionBy: model.partitionBy };
  },

  async prepareReference(lab, ex, dataset, session) {
    const lake = await referenceLake(lab, dataset);
    const name = parseModel(ex.solutionFile).name;
    await duckdbModelEngine.load(session, { dir: modelDir(lake, name) }, 'reference');
    await useReferenceUpstream(session, lab, lake, name);
  },

  async build(b) {
    try {
      await materializeModel(b.session, b.model, b.dir, { timeoutMs: b.timeoutMs });
    } catch (err) {
      throw buildError(b.rel, err);
    }
    return { dir: b.dir, partitionBy: b.model.partitionBy };
  },

  // The folder names hold the partition column: read it back from them.
  load: (session, output, table) => session.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_parquet(${quoteLiteral(`${output.dir}/**/*.parquet`)}, hive_partitioning = true, union_by_name = true)`),

  async incrementalRun(b) {
    try {
      return await checkIncrementalRun(b.session, b.drop, { ...b.model, dir: b.output.dir }, b.reference);
    } catch (err) {
      return fail(`a run for ${b.drop.day} failed: ${duckdbErrorMessage(b.rel, err)}`);
    }
  },

  async pipeline(lab, dataset, opts) {
    if (!lab.def.lake) throw new LabError(`${lab.name} has no lake to build models in.`);
    const lake = lab.def.lake(dataset.dir);
    const session = await openDatasetSession(lab, dataset);
    // Incremental models read the day to build from this variable; unset, they build everything.
    await session.run(opts.day ? `SET VARIABLE run_day = DATE '${opts.day}'` : 'SET VARIABLE run_day = NULL');
    return {
      where: `lake ${path.relative(process.cwd(), lake) || lake}`,
      next: `\`lab check ${lab.name}\` grades them`,
      async build(model, { rel, timeoutMs }) {
        try {
          const out = await materializeModel(session, model, modelDir(lake, model.name), { timeoutMs });
          const files = out.partitionBy ? `${out.files} files under ${out.partitionBy}=…/${opts.day && model.incremental ? ' (incremental)' : ''}` : `${out.files} file`;
          return { rows: out.rows, detail: files };
        } catch (err) {
          throw buildError(rel, err);
        }
      },
      close: () => session.close(),
    };
  },
};
