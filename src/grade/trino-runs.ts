import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import type { ModelOutput } from '../lab/define.js';
import type { LoadedExercise, LoadedLab } from '../lab/load.js';
import { orderModels, parseModel } from '../lab/models.js';
import { buildModelOnTrino, downloadTableFiles } from '../runtime/docker/lakehouse-models.js';
import { HIDDEN_SCHEMA_PREFIX } from '../runtime/docker/lakehouse-source.js';
import type { Dataset, Lakehouse, StartedStack } from '../runtime/runtime.js';
import { ICEBERG_CATALOG, StartedTrino } from '../services/trino.js';
import { modelExercises } from './model-runs.js';

/** The engine a lab's models may also be graded on, with its reference in solution/<engine>/. */
export const TRINO_ENGINE = 'trino';

/** `--engine trino`: the lakehouse stack's Trino to run models on (month4 on containers); nothing else has one yet. */
export async function resolveEngine(engine: string | undefined, lab: string, stack: StartedStack): Promise<Lakehouse | undefined> {
  if (engine === undefined) return undefined;
  if (engine.toLowerCase() !== TRINO_ENGINE) throw new LabError(`Unknown engine '${engine}'.`, `The one there is: --engine ${TRINO_ENGINE} (month4 on the docker runtime).`);
  if (!stack.connectLakehouse) throw new LabError(`${lab} has no Trino on this runtime: --engine trino grades on the lakehouse stack.`, `Run \`lab up ${lab} --runtime docker\` first (month4), or leave out --engine.`);
  return stack.connectLakehouse();
}

export function trinoSolutionFile(ex: LoadedExercise): string {
  return path.join(ex.dir, 'solution', TRINO_ENGINE, ex.def.file);
}

/**
 * Renames schema qualifiers (`silver.` → `ref_silver.`) outside strings, quoted names and
 * comments, so a model reads the tables the grader chose; line numbers do not move.
 */
export function renameSchemas(sql: string, names: Record<string, string>): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (sql.startsWith('--', i) || sql.startsWith('/*', i)) {
      const end = sql.startsWith('--', i) ? sql.indexOf('\n', i) : sql.indexOf('*/', i) + 2;
      const j = end <= i ? sql.length : end;
      out += sql.slice(i, j);
      i = j;
    } else if (/[A-Za-z_]/.test(c) && !/[A-Za-z0-9_.$]/.test(sql[i - 1] ?? ' ')) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i))![0];
      const renamed = sql[i + word.length] === '.' ? names[word.toLowerCase()] : undefined;
      out += renamed ?? word;
      i += word.length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Where a dataset's tables are in the catalog: its bronze, and the Trino reference pipeline built on it. */
function schemasOf(dataset: Dataset): { bronze: string; silver: string; gold: string } {
  const p = dataset.hidden ? HIDDEN_SCHEMA_PREFIX : '';
  return { bronze: `${p}bronze`, silver: `${p}ref_silver`, gold: `${p}ref_gold` };
}

function trinoReferenceModels(lab: LoadedLab) {
  return orderModels(modelExercises(lab).map((e) => parseModel(trinoSolutionFile(e))));
}

/** Builds (once per dataset and reference version) the Trino reference pipeline into ref_silver and ref_gold. */
export async function ensureTrinoReference(lab: LoadedLab, dataset: Dataset, lakehouse: Lakehouse): Promise<void> {
  const models = trinoReferenceModels(lab);
  const hash = crypto.createHash('sha256');
  for (const m of models) hash.update(m.name).update(m.sql);
  const marker = path.join(dataset.cacheDir, `trino-reference-${hash.digest('hex').slice(0, 16)}`);
  const names = schemasOf(dataset);
  const tables = models.map((m) => ({ layer: names[m.layer], table: m.table }));
  if (fs.existsSync(marker)) {
    const { rows } = await lakehouse.trino.query(`SELECT table_schema || '.' || table_name FROM ${ICEBERG_CATALOG}.information_schema.tables WHERE table_schema IN ('${names.silver}', '${names.gold}')`);
    const present = new Set(rows.map((r) => String(r[0])));
    if (tables.every((t) => present.has(`${t.layer}.${t.table}`))) return;
  }
  for (const m of models) {
    try {
      await buildModelOnTrino(lakehouse.trino, { layer: names[m.layer], table: m.table, sql: renameSchemas(m.sql, names), partitionBy: m.partitionBy });
    } catch (err) {
      throw new Error(`The Trino reference model ${m.name} of ${lab.name} failed on ${dataset.label}: ${(err as Error).message}`);
    }
  }
  fs.mkdirSync(path.dirname(marker), { recursive: true });
  fs.writeFileSync(marker, new Date().toISOString());
}

/** The reference model's table for this exercise, as the files Trino wrote, copied into `dir`. */
export async function trinoReferenceFiles(ex: LoadedExercise, dataset: Dataset, lakehouse: Lakehouse, dir: string): Promise<void> {
  const model = parseModel(trinoSolutionFile(ex));
  await downloadTableFiles(lakehouse.trino, lakehouse.s3, { layer: schemasOf(dataset)[model.layer], table: model.table }, dir);
}

/**
 * Runs the learner's model on Trino with the reference pipeline's upstream tables, into a grading
 * schema of its own (grade_silver, hidden_grade2_gold, …), and copies the files it wrote into `dir`.
 */
export async function runLearnerModelOnTrino(dataset: Dataset, lakehouse: Lakehouse, file: string, source: string, tag: string, dir: string, timeoutMs: number): Promise<ModelOutput> {
  const model = parseModel(file, source);
  const names = schemasOf(dataset);
  const target = { layer: `${dataset.hidden ? HIDDEN_SCHEMA_PREFIX : ''}grade${tag}_${model.layer}`, table: model.table };
  // Trino stops the statement itself (EXCEEDED_TIME_LIMIT), so nothing keeps running after the grade.
  const trino = new StartedTrino({ ...lakehouse.trino.connection, session: { query_max_run_time: `${Math.ceil(timeoutMs / 1000)}s` } });
  await buildModelOnTrino(trino, { ...target, sql: renameSchemas(model.sql, names), partitionBy: model.partitionBy });
  await downloadTableFiles(lakehouse.trino, lakehouse.s3, target, dir);
  return { dir, partitionBy: model.partitionBy };
}
