import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../../errors.js';
import type { LoadedExercise, LoadedLab } from '../../lab/load.js';
import { dialectSolutionFile, parseModel, referenceModels } from '../../lab/models.js';
import type { StartedS3 } from '../../services/s3.js';
import { createTableAs, downloadDataFiles, ICEBERG_CATALOG, SLOWER_THAN_DUCKDB, statementLine, TrinoQueryError, type StartedTrino } from '../../services/trino.js';
import { formatSeconds, type SqlSession } from '../../services/duckdb.js';
import { quoteLiteral } from '../../sql.js';
import type { Dataset } from '../runtime.js';
import { HIDDEN_SCHEMA_PREFIX } from '../seed/lakehouse.js';
import { duckdbModelEngine } from './duckdb.js';
import { ModelBuildError, type ModelBuild, type ModelEngine, type ModelPipeline } from './engine.js';

export const TRINO_DIALECT = 'trino';

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

/** A model's failure on Trino as `file:line: Trino: message`, the line counted in the learner's file. */
export function trinoErrorMessage(rel: string, err: TrinoQueryError): string {
  const line = statementLine(err);
  return `${rel}${line ? `:${line}` : ''}: Trino: ${err.reason}`;
}

/**
 * Trino on the lakehouse stack: each model is built as an Iceberg table in MinIO (`--engine trino`),
 * in Trino's dialect; the files Trino wrote are copied back and judged by DuckDB with the same checks.
 */
export class TrinoModelEngine implements ModelEngine {
  readonly name = TRINO_DIALECT;
  readonly label = 'Trino';
  readonly dialect = TRINO_DIALECT;

  constructor(
    private readonly trino: StartedTrino,
    private readonly s3: StartedS3,
  ) {}

  /** Builds (once per dataset revision and reference version) the Trino reference pipeline into ref_silver and ref_gold. */
  private async ensureReference(lab: LoadedLab, dataset: Dataset): Promise<void> {
    const models = referenceModels(lab, this.dialect);
    const hash = crypto.createHash('sha256');
    for (const m of models) hash.update(m.name).update(m.sql);
    const marker = path.join(dataset.cacheDir, `trino-reference-${hash.digest('hex').slice(0, 16)}`);
    const names = schemasOf(dataset);
    if (fs.existsSync(marker)) {
      const { rows } = await this.trino.query(`SELECT table_schema || '.' || table_name FROM ${ICEBERG_CATALOG}.information_schema.tables WHERE table_schema IN ('${names.silver}', '${names.gold}')`);
      const present = new Set(rows.map((r) => String(r[0])));
      if (models.every((m) => present.has(`${names[m.layer]}.${m.table}`))) return;
    }
    for (const m of models) {
      try {
        await createTableAs(this.trino, { schema: names[m.layer], table: m.table, sql: renameSchemas(m.sql, names), partitionBy: m.partitionBy });
      } catch (err) {
        throw new Error(`The Trino reference model ${m.name} of ${lab.name} failed on ${dataset.label}: ${(err as Error).message}`);
      }
    }
    fs.mkdirSync(path.dirname(marker), { recursive: true });
    fs.writeFileSync(marker, new Date().toISOString());
  }

  /** A model's table of the Trino reference pipeline, as the very files Trino wrote. */
  async referenceFiles(lab: LoadedLab, ex: LoadedExercise, dataset: Dataset, scratch: string) {
    const model = parseModel(dialectSolutionFile(ex, this.dialect));
    await this.ensureReference(lab, dataset);
    const dir = path.join(scratch, 'trino-reference');
    await downloadDataFiles(this.trino, this.s3, { schema: schemasOf(dataset)[model.layer], table: model.table }, dir);
    return { dir, partitionBy: model.partitionBy };
  }

  // Upstream checks still read DuckDB's reference pipeline (the same rows: `lab dev check` proves it); this model's reference is Trino's.
  async prepareReference(lab: LoadedLab, ex: LoadedExercise, dataset: Dataset, session: SqlSession, scratch: string): Promise<void> {
    await duckdbModelEngine.prepareReference(lab, ex, dataset, session, scratch);
    await this.load(session, await this.referenceFiles(lab, ex, dataset, scratch), 'reference');
  }

  /** Runs the model with the reference pipeline upstream, into a grading schema of its own (grade_silver, hidden_grade2_gold, …). */
  async build(b: ModelBuild) {
    const names = schemasOf(b.dataset);
    const target = { schema: `${b.dataset.hidden ? HIDDEN_SCHEMA_PREFIX : ''}grade${b.tag}_${b.model.layer}`, table: b.model.table };
    const limit = SLOWER_THAN_DUCKDB * b.timeoutMs;
    try {
      // Trino stops the statement itself, so nothing keeps running after the grade.
      await createTableAs(this.trino.withTimeLimit(limit), { ...target, sql: renameSchemas(b.model.sql, names), partitionBy: b.model.partitionBy });
      await downloadDataFiles(this.trino, this.s3, target, b.dir);
    } catch (err) {
      if (err instanceof TrinoQueryError && err.timedOut) throw new ModelBuildError(`${b.rel}: stopped after ${formatSeconds(limit)}: the model was still running on Trino (a join without its condition?)`, true);
      if (err instanceof TrinoQueryError) throw new ModelBuildError(trinoErrorMessage(b.rel, err));
      if (err instanceof LabError) throw new ModelBuildError(`${b.rel}: ${err.message}`);
      throw err;
    }
    if (!fs.existsSync(b.dir) || !(fs.readdirSync(b.dir, { recursive: true }) as string[]).some((f) => f.endsWith('.parquet'))) {
      throw new ModelBuildError(`${b.rel}: the model ran on Trino but gave no rows`);
    }
    return { dir: b.dir, partitionBy: b.model.partitionBy };
  }

  // Trino's files hold the partition column themselves, not only in their folder names.
  load(session: SqlSession, output: { dir: string }, table: string): Promise<void> {
    return session.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_parquet(${quoteLiteral(`${output.dir}/**/*.parquet`)}, hive_partitioning = false, union_by_name = true)`);
  }

  readonly noIncrementalRuns = "not run on Trino (its dialect has no getvariable): a check without --engine grades the incremental run, on DuckDB";

  async pipeline(lab: LoadedLab, _dataset: Dataset, opts: { day?: string }): Promise<ModelPipeline> {
    if (opts.day) throw new LabError("--day runs are DuckDB's (incremental models read getvariable('run_day')); Trino rebuilds whole tables.", `Leave out --day, or run on DuckDB: lab run ${lab.name} --day ${opts.day}`);
    return {
      where: `Iceberg tables in catalog ${ICEBERG_CATALOG}`,
      next: `\`lab query ${lab.name} "SELECT * FROM gold.daily_revenue"\` reads them`,
      build: async (model, { rel, timeoutMs }) => {
        try {
          const rows = await createTableAs(timeoutMs ? this.trino.withTimeLimit(SLOWER_THAN_DUCKDB * timeoutMs) : this.trino, { schema: model.layer, table: model.table, sql: model.sql, partitionBy: model.partitionBy });
          return { rows, detail: model.partitionBy ? `Iceberg table partitioned by ${model.partitionBy}` : 'Iceberg table' };
        } catch (err) {
          if (err instanceof TrinoQueryError) throw new ModelBuildError(err.timedOut ? `${rel}: stopped: the model was still running on Trino` : trinoErrorMessage(rel, err), err.timedOut);
          throw err;
        }
      },
      close: () => undefined,
    };
  }
}
