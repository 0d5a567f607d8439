import type pg from 'pg';

/** What a side may need besides the files of its dataset; `lab compare` starts each once, for the pairs that ask. */
export type Engine = 'postgres' | 'kafka' | 'python';

/** Where a side finds the prepared dataset and the engines it asked for (it runs in its own process, so this is plain data). */
export interface SideContext {
  /** The folder of this pair's dataset at this scale and seed (CSV, Parquet, JSON lines). */
  dir: string;
  scale: number;
  seed: number;
  /** A `pg` connection config to the pair's schema, when the pair needs Postgres. */
  postgres?: pg.ClientConfig & { schema: string };
  /** Kafka bootstrap servers, when the pair needs the broker. */
  kafka?: string[];
}

/** One run's answer, in a canonical form both sides must equal; a side that measures something else than its duration (freshness) says so. */
export interface RunResult {
  answer: unknown;
  /** Overrides the wall time of the run, e.g. the median delay from an event to its result. */
  measuredMs?: number;
}

/**
 * A side in TypeScript: `open` once per process (connections, loading what is not part of the
 * work), then `run` timed again and again, then `close`. It runs in a child process, so a side over
 * its budget is killed instead of waited for.
 */
export interface TsSide<S = unknown> {
  label: string;
  /** The engine that does the work, as the report names it. */
  engine: string;
  open(ctx: SideContext): Promise<S>;
  run(state: S, ctx: SideContext): Promise<RunResult>;
  close?(state: S): Promise<void>;
}

/** A side in Python (pandas, polars): `open(ctx)` and `run(state)` of a function pair in the pair's .py file. */
export interface PySide {
  label: string;
  engine: string;
  python: { file: string; open: string; run: string };
}

export type Side = TsSide<any> | PySide; // eslint-disable-line @typescript-eslint/no-explicit-any

export const isPySide = (s: Side): s is PySide => 'python' in s;

/** What the parent prepares once per scale and seed, before any side runs (never timed). */
export interface PrepareContext extends SideContext {
  /** A connected client on the pair's own schema, when the pair needs Postgres. */
  pg?: pg.Client;
}

export interface Pair {
  id: string;
  title: string;
  /** The row of the learner's table this measures: the backend habit and the data habit. */
  habit: { backend: string; data: string };
  needs: Engine[];
  /** What is measured, when it is not how long the work takes (freshness). */
  measures?: string;
  /** The largest scale this pair runs at (larger ones are listed as not run, with why). */
  maxScale?: { rows: number; why: string };
  /** A few lines: why the data habit wins, and where it does not. */
  lesson: string[];
  /** Writes the dataset files and loads Postgres; idempotent for a scale and seed. */
  prepare(ctx: PrepareContext): Promise<void>;
  backend: Side;
  data: Side;
  /** Further variants measured the same way (Parquet without partition pruning), reported beside the two. */
  also?: Side[];
  /** Sizes on disk worth reporting (JSON lines against Parquet), by label. */
  sizes?(ctx: SideContext): Record<string, number>;
}

export function definePair(pair: Pair): Pair {
  return pair;
}
