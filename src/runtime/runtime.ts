import type { RuntimeName } from '../lab/define.js';
import type { LoadedLab } from '../lab/load.js';
import type { Scale } from '../lab/scale.js';
import type { StartedDuckDb } from '../services/duckdb.js';
import type { Role, RoleClients } from '../services/roles.js';
import type { Output } from '../ui/output.js';
import type { ModelEngine } from './models/engine.js';

/** One seeded copy of the lab's data that solutions run against. */
export interface Dataset {
  /** For messages: "seed 42 (small)" or "the hidden seed". */
  label: string;
  hidden: boolean;
  seed: number;
  scale: Scale;
  /** The lab's DuckDB on this dataset. */
  sql: StartedDuckDb;
  /** Changes whenever the data does (a reseed, a landed drop): every cache below is keyed by it. */
  revision: string;
  /** Where graders cache reference results and exports for this revision of the data. */
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
  readonly runtime: RuntimeName;
  readonly lab: LoadedLab;
  /** The learner's dataset first, then the hidden one graders also use. */
  readonly datasets: Dataset[];
  /** Whether this stack runs a service in this role (answered without connecting to it). */
  has(role: Role): boolean;
  /** The started client for a role the lab declared; one clear error when the lab or this runtime has none. */
  service<R extends Role>(role: R): Promise<RoleClients[R]>;
  /** Where the lab's models are built: DuckDB over the lake by default, or another engine the stack runs (`trino`). */
  modelEngine(name?: string): Promise<ModelEngine>;
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
