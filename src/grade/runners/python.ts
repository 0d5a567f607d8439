import fs from 'node:fs';
import path from 'node:path';
import type { DatasetFile, PythonExercise, TableMetadata } from '../../lab/define.js';
import type { LoadedLab } from '../../lab/load.js';
import type { Dataset, StartedStack } from '../../runtime/runtime.js';
import type { SqlSession } from '../../services/duckdb.js';
import { quoteLiteral } from '../../sql.js';
import { cachedReference } from './reference.js';
import type { ExerciseRunner, Job, RunFailure, Solution, Target } from './runner.js';

const ROW_GROUP_ROWS = 8_192;

/** The dataset's tables as Parquet files, written once per dataset revision, for `solve()`'s parameters. */
async function exportTables(lab: LoadedLab, dataset: Dataset, session: SqlSession): Promise<string> {
  const dir = path.join(dataset.cacheDir, 'parquet');
  // The marker names the export's format: files exported before in one row group are exported again.
  const done = path.join(dir, `.complete-rg${ROW_GROUP_ROWS}`);
  if (fs.existsSync(done)) return dir;
  fs.mkdirSync(dir, { recursive: true });
  for (const table of lab.def.tables) {
    // A dotted name (bronze.orders) becomes bronze_orders: solve()'s parameter names are identifiers.
    // Row groups of 8,192 rows: Spark splits a file by row group, so a table is read by several tasks
    // (map outputs adaptive execution can split a skewed partition along), as on a cluster.
    await session.run(`COPY (SELECT * FROM ${table}) TO ${quoteLiteral(path.join(dir, `${table.replace(/\./g, '_')}.parquet`))} (FORMAT parquet, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`);
  }
  fs.writeFileSync(done, new Date().toISOString());
  return dir;
}

/** With --debug, a Python error shows its whole traceback. */
const debugTraceback = (tb: string | undefined) => (process.env.LAB_DEBUG && tb ? `\n${tb.trimEnd()}` : '');

/** The folder a writing exercise's solve() gets as `output_dir` (the harness derives it the same way). */
const datasetDirOf = (outputFile: string) => `${outputFile}.dataset`;

/** Every file under a folder, by path inside it; Spark's markers (_SUCCESS) and checksums (.crc) are not data. */
function dataFiles(dir: string): DatasetFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('_') && !e.name.startsWith('.'))
    .map((e) => {
      const full = path.join(e.parentPath, e.name);
      return { path: path.relative(dir, full).split(path.sep).join('/'), bytes: fs.statSync(full).size };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Lays an earlier run's files into the output folder, partitioned as the exercise writes, for solve() to replace. */
async function prepareDatasetDir(target: Target, dir: string, writes: { partitionBy: string[]; earlierRun?: string }): Promise<Set<string>> {
  fs.rmSync(dir, { recursive: true, force: true });
  if (!writes.earlierRun) return new Set();
  await target.session.run(`COPY (${writes.earlierRun}) TO ${quoteLiteral(dir)} (FORMAT parquet, PARTITION_BY (${writes.partitionBy.join(', ')}))`);
  return new Set(dataFiles(dir).map((f) => f.path));
}

/** The dataset solve() wrote, as the solution's table (partition columns from the folder names); a folder that is not one dataset is the solution's failure. */
async function loadDataset(target: Target, table: string, dir: string, solution: Solution, earlier: Set<string>): Promise<{ files: DatasetFile[]; failure?: string }> {
  const files = dataFiles(dir).map((f) => (earlier.has(f.path) ? { ...f, fromEarlierRun: true } : f));
  const parquet = files.filter((f) => f.path.endsWith('.parquet'));
  if (parquet.length === 0) {
    return { files, failure: `${solution.rel}: solve() wrote no Parquet file under output_dir${files.length ? ` (only ${files.slice(0, 3).map((f) => f.path).join(', ')})` : ''}: write the frame there with .write.parquet(output_dir)` };
  }
  const list = `[${parquet.map((f) => quoteLiteral(path.join(dir, f.path))).join(', ')}]`;
  const read = (hive: boolean) => target.session.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_parquet(${list}, hive_partitioning = ${hive}, union_by_name = true)`);
  try {
    await read(true);
  } catch {
    // Files both in folders and beside them are no partitioned dataset: read as files, the layout check says what is wrong.
    try {
      await read(false);
    } catch (err) {
      return { files, failure: `${solution.rel}: the files under output_dir do not read as one dataset: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}` };
    }
  }
  return { files };
}

/** The buckets of the stack's MinIO the table exercises write to: the REST catalog's warehouse (its CATALOG_WAREHOUSE), and Delta's. */
const ICEBERG_BUCKET = 'warehouse';
const DELTA_BUCKET = 'tables';

/**
 * On containers, where a table exercise writes: through the stack's REST catalog into MinIO
 * (Iceberg), or into MinIO (Delta); locally, files. `release` removes the run's files from MinIO
 * (the harness has dropped the Iceberg namespace): grading leaves nothing in the stack.
 */
async function tableOnStack(stack: StartedStack, writes: NonNullable<PythonExercise['writesTable']>): Promise<{ spec: { stack?: object }; release: () => Promise<void> }> {
  const { format } = writes;
  if (!stack.has('objectStore') || (format === 'iceberg' && !stack.has('catalog'))) return { spec: {}, release: async () => {} };
  const s3 = await stack.service('objectStore');
  const bucket = format === 'iceberg' ? ICEBERG_BUCKET : DELTA_BUCKET;
  await s3.ensureBucket(bucket);
  const { endPoint, port, accessKey, secretKey, useSSL, region } = s3.connection;
  const prefix = `grading-${process.pid}`;
  // The REST catalog puts a namespace's tables under <warehouse>/<namespace>/; purging a table leaves the manifests of expired snapshots.
  const files = writes.format === 'iceberg' ? `${writes.identifier.split('.')[0]}/` : `${prefix}/`;
  return {
    spec: {
      stack: {
        s3: { endpoint: `${useSSL ? 'https' : 'http'}://${endPoint}:${port}`, access_key: accessKey, secret_key: secretKey, region: region ?? 'us-east-1', bucket },
        ...(format === 'iceberg' ? { catalog: (await stack.service('catalog')).connection.url } : {}),
        prefix,
      },
    },
    release: async () => void (await s3.removePrefix(bucket, files)),
  };
}

/**
 * Runs the solution on every target into its table; one Python process runs it on every target (the
 * interpreter and imports start once). A PySpark run also says, per target it ran on, the physical
 * plan Spark executed (`plans`), for the checks on the plan; a writing exercise, the files it wrote.
 */
async function runSolve(job: Job, targets: Target[], solution: Solution, printed: string[] = [], plans: Array<string | undefined> = [], written: Array<DatasetFile[] | undefined> = [], tables: Array<TableMetadata | undefined> = []): Promise<RunFailure | undefined> {
  const { stack, ex } = job;
  const python = await stack.service('python');
  const writes = ex.def.kind === 'python' ? ex.def.writesDataset : undefined;
  const writesTable = ex.def.kind === 'python' ? ex.def.writesTable : undefined;
  const onStack = writesTable ? await tableOnStack(stack, writesTable) : undefined;
  const table = writesTable ? { ...writesTable, ...(writesTable.setup ? { setup: path.join(ex.dir, writesTable.setup) } : {}), ...onStack!.spec } : undefined;
  const jobs: Array<{ inputDir: string; outputFile: string }> = [];
  const earlier: Array<Set<string>> = [];
  for (const t of targets) {
    const inputDir = await exportTables(stack.lab, t.dataset, t.session);
    const outDir = path.join(t.dataset.cacheDir, 'runs');
    fs.mkdirSync(outDir, { recursive: true });
    const outputFile = path.join(outDir, `${ex.id}-${solution.table}-${process.pid}.parquet`);
    fs.rmSync(outputFile, { force: true });
    if (writes) earlier.push(await prepareDatasetDir(t, datasetDirOf(outputFile), writes));
    jobs.push({ inputDir, outputFile });
  }
  const library = ex.def.kind === 'python' ? (ex.def.library ?? 'pandas') : 'pandas';
  const sparkConf = ex.def.kind === 'python' && library === 'pyspark' ? ex.def.sparkConf : undefined;
  // On containers with a Spark Connect server (month2), the same file runs there: only that server mounts the lab's folder.
  const spark = library === 'pyspark' && stack.lab.def.sparkOnStack && stack.runtime === 'docker' && stack.has('spark') ? await stack.service('spark') : undefined;
  const sparkRemote = spark ? { url: spark.url, ...(spark.uiUrl ? { ui: spark.uiUrl } : {}) } : undefined;
  const outcome = await python.runSolution({ moduleFile: solution.file, library, jobs, timeoutMs: solution.timeoutMs, sparkConf, sparkRemote, table }).finally(() => onStack?.release());
  printed.push(...outcome.printed);
  for (const j of jobs) {
    const planFile = `${j.outputFile}.plan`;
    plans.push(fs.existsSync(planFile) ? fs.readFileSync(planFile, 'utf8') : undefined);
    fs.rmSync(planFile, { force: true });
    const tableFile = `${j.outputFile}.table.json`;
    tables.push(fs.existsSync(tableFile) ? (JSON.parse(fs.readFileSync(tableFile, 'utf8')) as TableMetadata) : undefined);
    fs.rmSync(tableFile, { force: true });
  }
  try {
    // Outputs written before a failure are still good: load them so their checks can run.
    for (const [index, t] of targets.entries()) {
      const { outputFile } = jobs[index]!;
      if (!fs.existsSync(outputFile)) {
        if (outcome.ok) throw new Error(`the Python harness wrote no result for ${t.dataset.label}`);
        if (outcome.timedOut) return { index, message: `${solution.rel}: ${outcome.message}`, timedOut: true };
        return { index, message: `${solution.rel}${outcome.error.line ? `:${outcome.error.line}` : ''}: ${outcome.error.kind}: ${outcome.error.message}${debugTraceback(outcome.error.traceback)}`, timedOut: false };
      }
      if (writes) {
        const loaded = await loadDataset(t, solution.table, datasetDirOf(outputFile), solution, earlier[index]!);
        written.push(loaded.files);
        if (loaded.failure) return { index, message: loaded.failure, timedOut: false };
      } else {
        await t.session.run(`CREATE OR REPLACE TEMP TABLE ${solution.table} AS SELECT * FROM read_parquet(${quoteLiteral(outputFile)})`);
      }
    }
    return undefined;
  } finally {
    for (const j of jobs) {
      fs.rmSync(j.outputFile, { force: true });
      fs.rmSync(datasetDirOf(j.outputFile), { recursive: true, force: true });
      fs.rmSync(`${j.outputFile}.table`, { recursive: true, force: true });
    }
  }
}

export const pythonRunner: ExerciseRunner<'python'> = {
  kind: 'python',
  defaultTimeoutMs: 60_000,
  // Python runs in its own process beside DuckDB's queries.
  lane: 'python',
  fingerprint: async () => [],
  prepareReference: (job, targets) => cachedReference(job, targets, (ts, s) => runSolve(job, ts, s)),
  async runLearner(job, targets, solution) {
    const printed: string[] = [];
    const plans: Array<string | undefined> = [];
    const written: Array<DatasetFile[] | undefined> = [];
    const tables: Array<TableMetadata | undefined> = [];
    const failure = await runSolve(job, targets, solution, printed, plans, written, tables);
    // What solve() printed on the learner's own seed (the hidden seed's would give the data away).
    return { failure, extras: plans.map((plan, i) => ({ ...(plan === undefined ? {} : { plan }), ...(written[i] ? { files: written[i] } : {}), ...(tables[i] ? { table: tables[i] } : {}) })), printed: printed[0] };
  },
};
