import type { Scale } from '../../datasets/ecommerce/generate.js';
import type { SqlSession } from '../services/duckdb.js';
import type { StartedPythonVenv } from '../services/python/python.js';

/** Service roles a lab can ask for; each runtime hands back a client per role. */
export type Role = 'sql' | 'python' | 'objectStore' | 'stream' | 'cache' | 'vectors' | 'oltp' | 'spark' | 'embedder';
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

export interface LabDefinition {
  name: string;
  title: string;
  /** One paragraph: what the learner can do after this month. */
  summary: string;
  roles: Role[];
  /** Which engine runs the learner's SQL on each runtime. */
  sqlEngine: Partial<Record<RuntimeName, string>>;
  needs: LabNeeds;
  /** Tables the dataset offers, listed to the learner by `lab up`. */
  tables: readonly string[];
  /** Builds the lab's dataset in the given SQL session (same seed and scale: same rows). */
  seed(session: SqlSession, opts: SeedOptions): Promise<void>;
  /** Changes whenever the generator would produce other rows, so stale seeded data is rebuilt. */
  datasetVersion(seed: number, scale: Scale): string;
  /** Pinned Python requirements file (relative to the lab folder), when the lab has Python exercises. */
  pythonRequirements?: string;
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
  /**
   * Lake labs: the folder of a dataset that holds the lake (bronze drops, silver and gold). On a
   * container runtime it is published to the object store, and `tables` to the SQL engine's catalog.
   */
  lake?(datasetDir: string): string;
}

export interface NextDrop {
  day: string;
  land: string[];
  unland: string[];
}

/**
 * sql: one query whose result is graded. python: a `solve()` whose DataFrame is graded.
 * model: one table of a pipeline (`silver.orders`): the query's result is written as Parquet
 * files into the lake, with its upstream tables as the reference pipeline built them.
 */
export type ExerciseKind = 'sql' | 'python' | 'model';

/** One run of a solution (learner's or reference) on one dataset, materialized for checks. */
export interface RunContext {
  /** Human label of the dataset: "seed 42 (small)" or "the hidden seed". */
  dataset: string;
  hidden: boolean;
  session: SqlSession;
  /** Table names, in `session`, holding the learner's and the reference's results. */
  learnerTable: string;
  referenceTable: string;
  /** Model exercises: where the learner's files are. */
  learnerOutput?: ModelOutput;
  /** Model exercises: reruns the learner's model into another folder (for idempotency checks). */
  rerunLearner?: () => Promise<ModelOutput>;
  /** Incremental model exercises: lands the next day's drop and runs the learner's model for that day only. */
  incrementalRun?: () => Promise<CheckOutcome>;
}

export interface SourceContext {
  /** The learner's file content. */
  source: string;
  /** Workspace-relative path, for messages. */
  file: string;
  absFile: string;
  kind: ExerciseKind;
  python?: StartedPythonVenv;
}

export interface CheckOutcome {
  passed: boolean;
  message: string;
}

/**
 * A check looks either at results (run once per dataset: the learner's seed and the hidden one)
 * or at the source file (run once).
 */
export type Check =
  | { name: string; on: 'results'; run(ctx: RunContext): Promise<CheckOutcome> }
  | { name: string; on: 'source'; run(ctx: SourceContext): Promise<CheckOutcome> | CheckOutcome };

export interface ExerciseDefinition {
  title: string;
  kind: ExerciseKind;
  /** The learner's file name, the same in template/ and solution/. */
  file: string;
  /** Python exercises: the DataFrame library whose frames `solve()` receives. */
  library?: 'pandas' | 'polars' | 'pyspark';
  checks: Check[];
  /** Per-run limit; a solution still running then is stopped. */
  timeoutMs?: number;
}

/** Where a model exercise's result landed, for checks on files and partitions. */
export interface ModelOutput {
  /** Folder of the model's Parquet files (`…/silver/orders`). */
  dir: string;
  /** Partition column the model declared with `-- @partition_by col`, if any. */
  partitionBy?: string;
}

export function defineLab(def: LabDefinition): LabDefinition {
  return def;
}

export function defineExercise(def: ExerciseDefinition): ExerciseDefinition {
  return def;
}
