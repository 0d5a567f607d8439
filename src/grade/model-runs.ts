import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelOutput, NextDrop } from '../lab/define.js';
import type { LoadedExercise, LoadedLab } from '../lab/load.js';
import { materializeModel, modelDir, modelViewSql, orderModels, parseModel, type Model } from '../lab/models.js';
import type { Dataset } from '../runtime/runtime.js';
import type { SqlSession } from '../services/duckdb.js';
import { compareTables } from './compare.js';

/** A session on a dataset with the lab's own set-up run first (e.g. the lake's bronze views). */
export async function openDatasetSession(lab: LoadedLab, dataset: Dataset): Promise<SqlSession> {
  const session = await dataset.sql.session();
  for (const sql of lab.def.sessionSetup?.(dataset.dir) ?? []) await session.run(sql);
  return session;
}

export function modelExercises(lab: LoadedLab): LoadedExercise[] {
  return lab.exercises.filter((e) => e.def.kind === 'model');
}

/** The reference pipeline: every model exercise's reference solution, in dependency order. */
export function referenceModels(lab: LoadedLab): Model[] {
  return orderModels(modelExercises(lab).map((e) => parseModel(e.solutionFile)));
}

/** Changes whenever a reference model does: the reference lake is rebuilt then. */
export function referenceDigest(lab: LoadedLab): string {
  const hash = crypto.createHash('sha256');
  for (const e of modelExercises(lab)) hash.update(e.id).update(fs.readFileSync(e.solutionFile));
  return hash.digest('hex').slice(0, 16);
}

/** Builds (once per dataset and reference version) the lake of the reference pipeline; returns its folder. */
export async function referenceLake(lab: LoadedLab, dataset: Dataset): Promise<string> {
  const dir = path.join(dataset.cacheDir, 'reference-lake', referenceDigest(lab));
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
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

/** Runs the learner's model into a folder of its own; returns where its files are. */
export async function runLearnerModel(session: SqlSession, ex: LoadedExercise, source: string, file: string, outDir: string, timeoutMs: number): Promise<ModelOutput> {
  const model = parseModel(file, source);
  const dir = modelDir(outDir, model.name);
  await materializeModel(session, model, dir, { timeoutMs });
  return { dir, partitionBy: model.partitionBy };
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
export async function checkIncrementalRun(
  session: SqlSession,
  drop: NextDrop,
  learner: { name: string; sql: string; partitionBy?: string; dir: string },
  reference: Model,
): Promise<{ passed: boolean; message: string }> {
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
    await session.run(`CREATE OR REPLACE TEMP TABLE __full_day AS SELECT * FROM (${reference.sql.replace(/[\s;]+$/, '')}\n) WHERE ${col} = DATE '${day}'`);
  } finally {
    await session.run('SET VARIABLE run_day = NULL');
    for (const sql of drop.unland) await session.run(sql);
  }
  const after = partitionFiles(copy);
  const touched = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
  const otherDays = touched.filter((f) => !f.startsWith(`${col}=${day}/`));
  try {
    if (otherDays.length) {
      return { passed: false, message: `a run for ${day} rewrote ${otherDays.length} files of other days, e.g. ${otherDays[0]}: filter the model to getvariable('run_day') when it is set, so only that day's partition is produced` };
    }
    if (!touched.length) return { passed: false, message: `a run for ${day} (the next day's drop) did not write that day's partition ${col}=${day}/: does the model read the new drop?` };
    await session.run(`CREATE OR REPLACE TEMP TABLE __learner_day AS SELECT * FROM read_parquet('${copy.replace(/'/g, "''")}/**/*.parquet', hive_partitioning = true, union_by_name = true) WHERE ${col} = DATE '${day}'`);
    const same = await compareTables(session, '__learner_day', '__full_day', {});
    if (!same.passed) return { passed: false, message: `the partition a run for ${day} wrote differs from a full rebuild's: ${same.message}` };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
    await session.run(modelViewSql(learner.name, learner.dir));
  }
  return { passed: true, message: `a run for ${day} rewrote only ${col}=${day}/ (${touched.length} file${touched.length === 1 ? '' : 's'})` };
}
