import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelOutput } from '../lab/define.js';
import type { LoadedExercise, LoadedLab } from '../lab/load.js';
import { materializeModel, modelDir, modelViewSql, orderModels, parseModel, type Model } from '../lab/models.js';
import type { Dataset, StartedStack } from '../runtime/runtime.js';
import type { SqlSession } from '../services/duckdb.js';

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
  return orderModels(modelExercises(lab).map((e) => parseModel(path.join(path.dirname(e.solutionFile), e.def.file))));
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
