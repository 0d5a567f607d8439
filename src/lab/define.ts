import type { SqlSession } from '../services/duckdb.js';
import type { CompareOptions } from './compare.js';
import type { Role, RoleClients } from '../services/roles.js';
import type { NamespaceNames } from '../services/service.js';
import type { Scale } from './scale.js';

export type { Role } from '../services/roles.js';
export type RuntimeName = 'local' | 'docker' | 'remote';

export interface SeedOptions {
  seed: number;
  scale: Scale;
  /** The dataset's folder (while seeding: its temporary folder), for labs that seed files, e.g. a lake. */
  dir?: string;
  /** Reports a finished table: its name and how many rows it holds. */
  onTable?: (table: string, rows: number, ms: number) => void;
}

/** What `lab doctor` checks for a lab. */
export interface LabNeeds {
  python?: boolean;
  jdk?: boolean;
  /** Memory the lab wants free on the local runtime, in GiB. */
  memoryGiB: number;
  /** Host ports the local runtime listens on. */
  ports?: number[];
}

/** What a seed step gets: the role's client, the dataset being seeded, and where in a shared cluster it goes. */
export interface SeedContext<R extends Role> {
  client: RoleClients[R];
  /** Another role's client, for a step that needs two (Iceberg tables: Trino and the object store). */
  service<S extends Role>(role: S): Promise<RoleClients[S]>;
  /** The dataset's folder (while seeding: its temporary folder). */
  dir: string;
  /** The grader's second seed, kept apart from the learner's. */
  hidden: boolean;
  /** The names a step writes under: plain on the docker runtime, the learner's own on a shared cluster. */
  namespace: NamespaceNames;
}

/** How a lab's seeded data reaches the service of one role (rows into Postgres, files into the object store, events into a topic). */
export interface SeedStep<R extends Role> {
  /** Runs inside seeding, after the lab's generator: the session holds its tables, and a step may replace them (an extract). */
  seed(ctx: SeedContext<R> & { session: SqlSession; onTable(table: string, rows: number): void }): Promise<void>;
  /** Whether the service still holds this dataset (fresh volumes hold nothing): when not, the dataset is seeded again. */
  present(ctx: SeedContext<R>): Promise<boolean>;
  /** It writes only under the learner's namespace, so the remote runtime may run it on a shared cluster. */
  namespaced: boolean;
}

export type SeedSteps = { [R in Role]?: SeedStep<R> };

export interface LabDefinition {
  name: string;
  title: string;
  /** One paragraph: what the learner can do after this month. */
  summary: string;
  /** The roles the lab asks runtimes for; a stack hands out a client for each one it runs. */
  roles: Role[];
  /** Which engine runs the learner's SQL on each runtime. */
  sqlEngine: Partial<Record<RuntimeName, string>>;
  /** The runtimes the lab runs on, when not every one, and why (said by `lab up` on another). */
  onlyOn?: { runtimes: RuntimeName[]; why: string };
  needs: LabNeeds;
  /** Tables the dataset offers, listed to the learner by `lab up`. */
  tables: readonly string[];
  /** Builds the lab's dataset in the given SQL session (same seed and scale: same rows). */
  seed(session: SqlSession, opts: SeedOptions): Promise<void>;
  /** How the seeded data reaches each role's service, on a runtime that runs it. */
  seedsInto?: SeedSteps;
  /** Changes whenever the generator would produce other rows, so stale seeded data is rebuilt. */
  datasetVersion(seed: number, scale: Scale): string;
  /**
   * Folders of a dataset (beside its database file) whose files are its data, e.g. the lake's bronze
   * drops: a changed file there (a landed drop) changes the dataset's revision, and every cache on it.
   */
  dataFolders?(datasetDir: string): string[];
  /** Pinned Python requirements file (relative to the lab folder), when the lab has Python exercises. */
  pythonRequirements?: string;
  /**
   * PySpark solutions run on the stack's Spark Connect server where the runtime runs one (its compose
   * mounts the lab's folder at the same path, so the server reads the inputs and writes the results
   * where the grader reads them); elsewhere, and by default, on Spark local[2] in the lab venv.
   */
  sparkOnStack?: boolean;
  /**
   * A pom (relative to the lab folder) whose runtime dependencies the lab's Spark jobs need on their
   * classpath, e.g. Structured Streaming's Kafka source: fetched once from Maven Central on `up`.
   */
  sparkJars?: string;
  /**
   * SQL every session on a dataset runs first, given the dataset's folder: e.g. views over the
   * files of a lake (`bronze`, `silver`, `gold`), which live outside the database file.
   */
  sessionSetup?(datasetDir: string): string[];
  /**
   * Lake labs: the next day's drop, waiting to land — its day, and the SQL that makes a session
   * see it (`land`) and stop seeing it (`unland`). Incremental checks run the learner's model on it.
   */
  nextDrop?(datasetDir: string): NextDrop | undefined;
  /** Lake labs: the days whose drops have landed, in order (for `lab run --day`'s warning). */
  dropDays?(datasetDir: string): string[];
  /** Lake labs: the folder of a dataset that holds the lake (bronze drops, silver and gold). */
  lake?(datasetDir: string): string;
  /**
   * dbt labs: the lab's dbt project (a folder of the lab, every file but the exercises'), and the
   * dataset's tables its sources read, as a database dbt attaches read-only as `raw`.
   */
  dbt?: { project: string; sources: string[] };
}

export interface NextDrop {
  day: string;
  land: string[];
  unland: string[];
  /** Lands it for good (`lab drop`), as the nightly export would; says what landed, for people. */
  commit(): string[];
}

/** Where a model exercise's result landed, for checks on files and partitions. */
export interface ModelOutput {
  /** Folder of the model's Parquet files (`…/silver/orders`). */
  dir: string;
  /** Partition column the model declared with `-- @partition_by col`, if any. */
  partitionBy?: string;
}

/**
 * A check's outcome, as Exercism's test runners report them: `pass`; `fail` (the solution is
 * wrong); `error` (it did not run: a syntax error, an exception, a time limit); `skipped` (not
 * run here, e.g. on this engine). A check that measures says its `score` and `threshold`.
 */
export type CheckStatus = 'pass' | 'fail' | 'error' | 'skipped';

export interface CheckOutcome {
  status: CheckStatus;
  message: string;
  score?: number;
  threshold?: number;
  /** The solution was stopped at its time limit: how busy the machine was decides, so the grade is not kept. */
  timedOut?: boolean;
}

export const pass = (message: string): CheckOutcome => ({ status: 'pass', message });
export const fail = (message: string): CheckOutcome => ({ status: 'fail', message });
export const errored = (message: string, opts: { timedOut?: boolean } = {}): CheckOutcome => ({ status: 'error', message, ...(opts.timedOut ? { timedOut: true } : {}) });
export const skipped = (message: string): CheckOutcome => ({ status: 'skipped', message });
export const outcome = (passed: boolean, message: string): CheckOutcome => (passed ? pass(message) : fail(message));

/** A measured check: passes at or past its threshold ("recall@5 0.83 ≥ 0.80"). */
export function measured(metric: string, score: number, threshold: number, opts: { lowerIsBetter?: boolean; detail?: string } = {}): CheckOutcome {
  const ok = opts.lowerIsBetter ? score <= threshold : score >= threshold;
  const cmp = opts.lowerIsBetter ? (ok ? '≤' : '>') : ok ? '≥' : '<';
  const digits = Math.abs(threshold) >= 10 ? 0 : 2;
  return { status: ok ? 'pass' : 'fail', message: `${metric} ${score.toFixed(digits)} ${cmp} ${threshold.toFixed(digits)}${opts.detail ? `: ${opts.detail}` : ''}`, score, threshold };
}

/** What every result check gets, for one dataset (the learner's seed, then the hidden one). */
export interface RunContext {
  /** Human label of the dataset: "seed 42 (small)" or "the hidden seed". */
  dataset: string;
  hidden: boolean;
  session: SqlSession;
  /** Table names, in `session`, holding the learner's and the reference's results. */
  learnerTable: string;
  referenceTable: string;
}

/** A Python exercise's run; a PySpark one also carries the plan Spark executed for the result. */
export interface PythonRunContext extends RunContext {
  /**
   * The executed physical plan of the result's write, as explain() prints it (with adaptive
   * execution: "AdaptiveSparkPlan isFinalPlan=true", the final plan, then the initial one). Only
   * for `library: 'pyspark'`.
   */
  plan?: string;
  /** `writesDataset`: the data files solve() left under output_dir, by path inside it (`day=2026-01-03/part-….parquet`). */
  files?: DatasetFile[];
  /** `writesTable`: what the table's own metadata says, read once solve() returned. */
  table?: TableMetadata;
}

/** An Iceberg or a Delta table's metadata, as its library reads it (the result rows are its current snapshot's). */
export type TableMetadata = IcebergMetadata | DeltaMetadata;

/** One data file of an Iceberg snapshot; `partition` by partition field name (`sold_at_day: 2024-05-07`). */
export interface IcebergFile {
  path: string;
  records: number;
  bytes: number;
  partition: Record<string, string>;
}

export interface IcebergMetadata {
  format: 'iceberg';
  /** Snapshot ids are 64-bit numbers: kept as strings. */
  current_snapshot_id: string | null;
  /** The snapshot log, oldest first: each snapshot's operation (append, overwrite, delete, replace), row count and data files. */
  snapshots: Array<{ id: string; parent_id: string | null; operation: string | null; summary: Record<string, string>; rows: number; files: IcebergFile[] }>;
  /** Every schema the table has had, with its fields' ids: a rename keeps the id, a drop and add does not. */
  schemas: Array<{ id: number; fields: Array<{ id: number; name: string; type: string }> }>;
  current_schema_id: number;
  /** The current partition spec: `day` of `sold_at` is hidden partitioning. */
  partition_fields: Array<{ source: string; transform: string; name: string }>;
  files: IcebergFile[];
}

export interface DeltaMetadata {
  format: 'delta';
  version: number;
  /** The transaction log, oldest first: WRITE, MERGE, DELETE, OPTIMIZE, RESTORE, VACUUM START… */
  history: Array<{ version: number; operation: string; parameters: Record<string, unknown>; metrics: Record<string, unknown>; /** Written by the exercise's setup, not by solve(). */ lab_setup: boolean }>;
  partition_columns: string[];
  fields: string[];
  /** The current version's data files, by path inside the table. */
  files: string[];
  /** Every Parquet file in the table's folder: old versions' files stay until a vacuum removes them. */
  files_on_disk: string[];
}

/** One file of a dataset a solution wrote. */
export interface DatasetFile {
  path: string;
  bytes: number;
  /** Laid there by the grader as an earlier run's, and still there after solve(). */
  fromEarlierRun?: boolean;
}

/** A model exercise's run: its files, and what it can do again. */
export interface ModelRunContext extends RunContext {
  learnerOutput: ModelOutput;
  /** Builds the learner's model again into another folder (for idempotency checks). */
  rerunLearner(): Promise<ModelOutput>;
  /** Lands the next day's drop and runs the learner's model for that day only. */
  incrementalRun(): Promise<CheckOutcome>;
}

/**
 * The kinds of exercise, each with what its result checks receive. A kind is run by its runner in
 * src/grade/runners/. sql: one query; python: a `solve()` returning a DataFrame; model: one table of
 * a pipeline (`silver.orders`), written as Parquet with the reference pipeline upstream.
 */
export interface KindContexts {
  dbt: DbtRunContext;
  sql: RunContext;
  python: PythonRunContext;
  model: ModelRunContext;
  stream: StreamRunContext;
  retrieval: RetrievalRunContext;
  flow: FlowRunContext;
}

/**
 * A dbt exercise's run: the lab's dbt project built with the learner's file in its place (every
 * other file the lab's reference), on each dataset; the result is the rows of the exercise's
 * `result` node. What dbt did is in the session too.
 */
export interface DbtRunContext extends RunContext {
  /** Every model and snapshot the build made, by name: the session's table holding its rows. */
  models: Record<string, string>;
  /**
   * What dbt did per node, after the last load: name, resource_type (model, snapshot, test), status
   * (success, error, pass, fail, warn, skipped), failures (a test's failing rows), message, test (a
   * test's generic test: unique, relationships… or one of the project's own), model (the node a
   * test is attached to), column_name, file.
   */
  nodesTable: string;
  /** The same, for the `dbt test` the grader ran after planting the exercise's faults in the built tables. */
  plantedTable?: string;
  /** What the project documents: each model's description, and its columns'. */
  docs: Array<{ name: string; description: string; columns: Record<string, string> }>;
}

/** A fault the grader plants in the built tables before running the project's tests: one of them must catch it. */
export interface DbtPlant {
  /** For people: "an order line listed twice". */
  name: string;
  /** SQL over the built tables, named `w.<model>` (`INSERT INTO w.fct_order_lines SELECT …`). */
  sql: string;
  /** The model and column a test should catch it on. */
  model: string;
  column: string;
}

/** One run of the learner's flow, as the grader started it. */
export interface FlowRun {
  /** Prefect's id of the flow run (absent when the file did not get that far). */
  flowRunId?: string;
  /** How it ended: COMPLETED, FAILED, CRASHED… */
  state: string;
  message: string;
  start: string;
  end: string;
  wallMs: number;
}

/**
 * A flow exercise's run: the learner's Prefect flow ran (once or more, per the scenario) over a
 * range of days; its partitions are the learner table (with their `day`), beside the run history
 * the server recorded and the lab source's event log, as tables of the session.
 */
export interface FlowRunContext extends RunContext {
  /** day, file, rows: every Parquet file under out/<output>/day=<day>/. */
  partitionsTable: string;
  /** After the first run of a scenario with two (rerun, resume): the learner's rows then. */
  firstRunTable?: string;
  /** run (1, 2…), flow_run_id, state_type, start_ms, end_ms. */
  flowRunsTable: string;
  /** run, flow_run_id, task_run_id, name, task_key, state_type, run_count, start_ms, end_ms, retries, retry_delay (the task's retry policy, JSON). */
  taskRunsTable: string;
  /** What the flow asked of the source: op (read, poll, summary_read, summary_write), day, task_run_id, flow_run_id, pid, start_ms, end_ms, at_ms, attempt, ok, error. */
  eventsTable: string;
  runs: FlowRun[];
  /** The published summary (exercises that publish one), as the flow left it. */
  summary?: unknown;
}

/**
 * A retrieval exercise's run: the learner's pipeline indexed the dataset's documents into the
 * lab's vector store and answered every question; what it did, as tables of the session (the
 * ranked results in learnerTable: question_id, rank from 1, chunk_id). Judged against the
 * dataset's labelled passages (`questions`, `passages`), which the pipeline is never given.
 */
export interface RetrievalRunContext extends RunContext {
  /** What the store held once indexed: chunk_id, doc_id, text and the metadata the learner stored. */
  chunksTable: string;
  /** Ranked results (same columns) of the lab's baselines on the learner's own chunks, when asked for. */
  denseTable?: string;
  bm25Table?: string;
  /** Answers (question_id, answer, abstained) and their citations (question_id, n, chunk_id, quote). */
  answersTable?: string;
  citationsTable?: string;
  /** After the update batch: the store's chunks and the ranked results again. */
  chunksAfterTable?: string;
  resultsAfterTable?: string;
  /** Chunk counts: after index(), after index() ran again on the same documents, after update(). */
  counts: { afterIndex: number; afterReindex?: number; afterUpdate?: number };
}

/** A stream exercise's run: what the detector wrote, read back from its topics into the session. */
export interface StreamRunContext extends RunContext {
  /** Table of its alerts: event_id, rule, score, produced_at (ms), valid (the message had the fields), raw. */
  alertsTable: string;
  /** Table of what it sent to the dead-letter topic (same columns). */
  deadLettersTable: string;
  /** In a fault scenario: the alerts the same detector wrote on a clean pass (same columns). */
  unharmedAlertsTable?: string;
  /** Paced: each payment's send time, ms (event_id, produced_at: the same columns). */
  deliveriesTable?: string;
  /** What the grader did to the detector during the run, for messages ("killed it at …"). */
  incident?: string;
  /** A checkpointed job (Spark): the event-time watermark its last batch left, ms; 0 when it sets none. */
  watermarkMs?: number;
  /** The newest event time of the stream it was sent, ms (to judge the watermark by). */
  newestEventMs?: number;
}
export type ExerciseKind = keyof KindContexts;

export interface SourceContext {
  /** The learner's file content. */
  source: string;
  /** Workspace-relative path, for messages. */
  file: string;
  absFile: string;
  kind: ExerciseKind;
  /** A role's client (e.g. the Python venv, to lint the file). */
  service<R extends Role>(role: R): Promise<RoleClients[R]>;
}

/** Looks at the learner's file, once. */
export interface SourceCheck {
  name: string;
  on: 'source';
  run: (ctx: SourceContext) => Promise<CheckOutcome> | CheckOutcome;
}

/** Looks at a run's results, once per dataset. A property, not a method: a check for models does not fit an SQL exercise. */
export interface ResultCheck<C extends RunContext = RunContext> {
  name: string;
  on: 'results';
  run: (ctx: C) => Promise<CheckOutcome>;
  /** A check that compares the learner's rows with the reference's, with how: `lab diff` shows the difference the same way. */
  compare?: CompareOptions;
}

export type Check<C extends RunContext = RunContext> = SourceCheck | ResultCheck<C>;

/**
 * A case the exercise's statement, hints or lesson warns about, and a query over a dataset's tables
 * that counts where it occurs. `lab dev check` proves each one occurs on every seed and scale: a
 * wrong solution that ignores it fails, because the data holds it.
 */
export interface Trap {
  name: string;
  /** SQL giving one number: how many times the case occurs (`SELECT count(*) FROM …`). */
  count: string;
}

interface ExerciseBase {
  title: string;
  /** The cases the statement warns about, proven to be in the data. */
  traps?: Trap[];
  /** The learner's file name, the same in template/ and solution/. */
  file: string;
  /** Per-run limit; a solution still running then is stopped. */
  timeoutMs?: number;
}

/** One file of the lab's dbt project (a model, a properties file, a generic test, a snapshot), built with the rest of the project. */
export interface DbtExercise extends ExerciseBase {
  kind: 'dbt';
  /** Where the learner's file goes in the lab's dbt project, e.g. `models/staging/stg_customers.sql`. */
  path: string;
  /** The model or snapshot whose rows are the result. */
  result: string;
  /**
   * The project is built once per load, in order, into the same warehouse (a snapshot's history grows
   * across them): each load names the dataset table each source table reads, where not its own name.
   * Default: one load, every source its own table.
   */
  loads?: Array<Record<string, string>>;
  /** Faults planted in the built tables after the last load, then `dbt test` runs: see plantedTable. */
  plants?: DbtPlant[];
  checks: Array<Check<KindContexts['dbt']>>;
}

export interface SqlExercise extends ExerciseBase {
  kind: 'sql';
  checks: Array<Check<KindContexts['sql']>>;
}

export interface PythonExercise extends ExerciseBase {
  kind: 'python';
  /** The DataFrame library whose frames `solve()` receives. */
  library?: 'pandas' | 'polars' | 'pyspark' | 'pyarrow';
  /**
   * PySpark: SQL confs the exercise's runs start with (e.g. `spark.sql.autoBroadcastJoinThreshold:
   * '-1'`, so only the learner's hint broadcasts); each run has a session of its own, so they, and
   * whatever solve() sets, are gone once it ends.
   */
  sparkConf?: Record<string, string>;
  /**
   * solve() writes a dataset into the folder its `output_dir` parameter names instead of returning a
   * frame; its rows (partition columns read from the folder names) are the result, its files `files`.
   * `earlierRun`: SQL whose rows an earlier run left there first, partitioned the same way (a rerun replaces them).
   */
  writesDataset?: { partitionBy: string[]; earlierRun?: string };
  /**
   * solve() writes an Iceberg table (it gets `catalog`, a SQL catalog of its own, and writes
   * `identifier`) or a Delta table (it gets `table_uri`); the table's current rows are the result,
   * its metadata `table`. `setup`: a Python file of the exercise whose `setup(catalog | table_uri,
   * <tables>…)` lays the table's earlier history first.
   */
  writesTable?: { format: 'iceberg'; identifier: string; setup?: string } | { format: 'delta'; setup?: string };
  checks: Array<Check<KindContexts['python']>>;
}

export interface ModelExercise extends ExerciseBase {
  kind: 'model';
  checks: Array<Check<KindContexts['model']>>;
}

/** A detector: a process consuming the replayed stream, judged against the stream's hidden labels. */
export interface StreamExercise extends ExerciseBase {
  kind: 'stream';
  /**
   * once: the stream, consumed to its end; redeliver: then restarted from the middle of every
   * partition (at-least-once); crash: killed (SIGKILL) mid-stream and started again; rebalance: two
   * instances in one group, one killed mid-stream. crash and rebalance first run a clean pass, the
   * alerts to compare with; paced: the stream sent at `rate` payments/s once the detector has
   * joined, each payment's send time kept (latency checks).
   */
  scenario?: 'once' | 'redeliver' | 'crash' | 'rebalance' | 'paced';
  /** Payments per second of a paced run (default 2,000). */
  rate?: number;
  /**
   * How the grader sees what the detector has consumed: the offsets its consumer group committed
   * (the default), or the batches a Spark job committed to its checkpoint (LAB_CHECKPOINT_DIR).
   */
  progress?: 'group' | 'checkpoint';
  checks: Array<Check<KindContexts['stream']>>;
}

/** A RAG pipeline (pipeline.py): index() and retrieve(), and what the exercise asks for besides. */
export interface RetrievalExercise extends ExerciseBase {
  kind: 'retrieval';
  /** How many results retrieve() is asked for (default 10). */
  k?: number;
  /** Also ask answer(store, question) for each question: an answer, or None, with citations. */
  answers?: boolean;
  /** Also run the lab's dense-only and BM25-only baselines on the learner's chunks. */
  baselines?: boolean;
  /** Run index() twice on the same documents, then update(store, edited, deleted) with the update batch. */
  update?: boolean;
  checks: Array<Check<KindContexts['retrieval']>>;
}

/**
 * A Prefect flow (flow.py): `pipeline(start, end)` over the lab's daily drops, run against the
 * lab's Prefect server and judged on its partitions and its run history.
 */
export interface FlowExercise extends ExerciseBase {
  kind: 'flow';
  /** The table the flow writes, as partitions out/<output>/day=<day>/. */
  output: string;
  /**
   * once: one run over every day; rerun: the same run twice (idempotency); backfill: one run over
   * the days inside the first and last; overlap: two runs at once over overlapping ranges; resume:
   * a run during an outage of one day's source (it must fail), then a run once the source is back.
   */
  scenario?: 'once' | 'rerun' | 'backfill' | 'overlap' | 'resume';
  /** The dataset's source faults this exercise meets: transient 503s, a drop that lands late. */
  faults?: Array<'transient' | 'late'>;
  /** How long the source takes per read (lab_flow's default: 300 ms): long enough that running days at once shows, even on a busy machine. */
  sourceLatencyMs?: number;
  /** Global concurrency limits the lab's server holds for this exercise (name → slots), as an ops team would set up. */
  concurrencyLimits?: Record<string, number>;
  checks: Array<Check<KindContexts['flow']>>;
}

interface ExercisesByKind {
  dbt: DbtExercise;
  sql: SqlExercise;
  python: PythonExercise;
  model: ModelExercise;
  stream: StreamExercise;
  retrieval: RetrievalExercise;
  flow: FlowExercise;
}
export type ExerciseDefinition = ExercisesByKind[ExerciseKind];

export function defineLab(def: LabDefinition): LabDefinition {
  return def;
}

/** An exercise of a kind: its checks must fit that kind (a check on a model's files is a compile error on an SQL exercise). */
export function defineExercise<K extends ExerciseKind>(def: ExercisesByKind[K] & { kind: K }): ExerciseDefinition {
  return def;
}
