import type { Scale } from '../../datasets/ecommerce/generate.js';
import type { RuntimeName } from '../lab/define.js';
import type { LoadedLab } from '../lab/load.js';
import type { StartedDuckDb } from '../services/duckdb.js';
import type { StartedPythonVenv } from '../services/python/python.js';
import type { StartedS3 } from '../services/s3.js';
import type { StartedTrino } from '../services/trino.js';
import type { Output } from '../ui/output.js';

/** One seeded copy of the lab's data that solutions run against. */
export interface Dataset {
  /** For messages: "seed 42 (small)" or "the hidden seed". */
  label: string;
  hidden: boolean;
  seed: number;
  scale: Scale;
  /** The `sql` role on this dataset. */
  sql: StartedDuckDb;
  /** Where graders may cache reference results and exports for this dataset. */
  cacheDir: string;
  /** The dataset's folder: the database file and, for lake labs, the lake. */
  dir: string;
}

export interface ServiceReport {
  service: string;
  role: string;
  state: 'ready' | 'missing' | 'stopped';
  detail: string;
}

/** A lab's stack once it is up: only a started stack hands out clients. */
export interface StartedStack {
  runtime: RuntimeName;
  lab: LoadedLab;
  /** The learner's dataset first, then the hidden one graders also use. */
  datasets: Dataset[];
  python?: StartedPythonVenv;
  /**
   * Lake labs on containers: connects to Trino over the Iceberg catalog (`lab query`, `--engine trino`).
   * A function, so commands that never use it (a plain `lab check`) do not wait on the container engine.
   */
  connectLakehouse?: () => Promise<Lakehouse>;
}

/** Trino over an Iceberg catalog whose files live in an object store. */
export interface Lakehouse {
  trino: StartedTrino;
  s3: StartedS3;
}

export interface UpOptions {
  seed: number;
  scale: Scale;
  /** Seed again even when data for this seed and scale exists. */
  reseed?: boolean;
  output: Output;
}

export interface Runtime {
  readonly name: RuntimeName;
  up(lab: LoadedLab, opts: UpOptions): Promise<StartedStack>;
  /** The stack as `up` left it, without seeding: for check, watch and compare. */
  attach(lab: LoadedLab, opts: { seed: number; scale: Scale }): Promise<StartedStack>;
  /** Stops the services; `volumes`/`purge` also delete the lab's data (never the learner's files). */
  down(lab: LoadedLab, opts: { purge?: boolean; volumes?: boolean; output?: Output }): Promise<void>;
  status(lab: LoadedLab): Promise<ServiceReport[]>;
}

/** Scale of the hidden dataset: small, so grading stays fast. */
export const HIDDEN_SCALE: Scale = 'small';

/** The second dataset every check also runs on; derived so no one needs to store it. */
export function hiddenSeed(seed: number): number {
  return (seed * 7919 + 104_729) % 1_000_003;
}
