import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PACKAGE_ROOT } from '../paths.js';
import { formatCount, formatMs, type Output } from '../ui/output.js';
import { crossover, growthExponent, ratioOf, summarize, type Timing } from './measure.js';
import { isPySide, type Engine, type Pair, type Side, type SideContext } from './pair.js';
import type { SideJob, SideLine } from './side-process.js';

/** The engines `lab compare` started or was given, with where they are for the report. */
export interface CompareEngines {
  postgres?: { config: pg.ClientConfig; where: string };
  kafka?: { brokers: string[]; where: string };
  python?: { python: string; where: string };
  /** Why an engine is missing, for the pairs that need it. */
  missing: Partial<Record<Engine, string>>;
}

export interface CompareOptions {
  scales: number[];
  runs: number;
  warmup: number;
  /** A single run longer than this is stopped. */
  budgetMs: number;
  seed: number;
  /** Where datasets are written, one folder per scale and seed. */
  dataDir: string;
  engines: CompareEngines;
  output: Output;
}

export type SideStatus = 'measured' | 'over-budget' | 'not-run' | 'error';

export interface SideOutcome {
  label: string;
  engine: string;
  status: SideStatus;
  timing?: Timing;
  digest?: string;
  preview?: string;
  /** Why it was not measured, for people. */
  message?: string;
}

export interface ScaleResult {
  scale: number;
  backend: SideOutcome;
  data: SideOutcome;
  also: SideOutcome[];
  /** Undefined when a side was not measured (over budget): there is nothing to compare. */
  sameAnswer?: boolean;
  ratio?: number;
  ratioSpread?: number;
  sizes?: Record<string, number>;
}

export interface PairResult {
  pair: Pair;
  /** Why the whole pair did not run (an engine it needs is missing). */
  skipped?: string;
  results: ScaleResult[];
  sameAnswer: boolean;
  growth: { backend?: number; data?: number };
  crossover?: number;
  engines: Record<string, string>;
}

const SIDE_PROCESS = path.join(PACKAGE_ROOT, 'dist', 'src', 'compare', 'side-process.js');
const PYTHON_SIDE = path.join(PACKAGE_ROOT, 'src', 'compare', 'python', 'compare_side.py');
/** Opening a side (connecting, loading a DataFrame) may take this long before its runs start. */
const OPEN_BUDGET_MS = 120_000;

/** The side processes running now: an interrupted `lab compare` kills them before it stops its engines. */
const runningSides = new Set<ChildProcess>();

export function killRunningSides(): void {
  for (const child of runningSides) child.kill('SIGKILL');
}

export const scaleLabel = (n: number) => formatCount(n);

/** Runs one side in its own process; a run past the budget kills it (`never waited for`). */
export function runSide(pair: Pair, which: string, side: Side, ctx: SideContext, opts: Pick<CompareOptions, 'runs' | 'warmup' | 'budgetMs' | 'engines'>, onRun?: (done: number) => void): Promise<SideOutcome> {
  const base = { label: side.label, engine: side.engine };
  const jobFile = path.join(ctx.dir, `.job-${pair.id}-${which.replace(':', '-')}-${process.pid}.json`);
  let command: string;
  let args: string[];
  if (isPySide(side)) {
    if (!opts.engines.python) return Promise.resolve({ ...base, status: 'error', message: opts.engines.missing.python ?? 'no Python venv' });
    fs.writeFileSync(jobFile, JSON.stringify({ ...side.python, ctx, warmup: opts.warmup, runs: opts.runs }));
    command = opts.engines.python.python;
    args = [PYTHON_SIDE, jobFile];
  } else {
    fs.writeFileSync(jobFile, JSON.stringify({ pair: pair.id, side: which, ctx, warmup: opts.warmup, runs: opts.runs } satisfies SideJob));
    command = process.execPath;
    args = [SIDE_PROCESS, jobFile];
  }
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    runningSides.add(child);
    const runs: number[] = [];
    const digests = new Set<string>();
    let preview: string | undefined;
    let stderr = '';
    let buffered = '';
    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    let phase = 'opening';
    const finish = (outcome: SideOutcome) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      runningSides.delete(child);
      fs.rmSync(jobFile, { force: true });
      resolve(outcome);
    };
    const arm = (ms: number, what: string) => {
      clearTimeout(timer);
      phase = what;
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish({ ...base, status: 'over-budget', message: `stopped: ${what} took longer than ${formatMs(ms)}` });
      }, ms);
    };
    arm(OPEN_BUDGET_MS, 'opening');
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const text = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        let line: SideLine;
        try {
          line = JSON.parse(text) as SideLine;
        } catch {
          continue; // a library printing on stdout
        }
        if ('ready' in line) arm(opts.budgetMs, 'run 1');
        else if ('run' in line) {
          if (!line.warmup) runs.push(line.ms);
          digests.add(line.digest);
          preview ??= line.preview;
          onRun?.(line.run + 1);
          arm(opts.budgetMs, `run ${line.run + 2}`);
        } else if ('error' in line) finish({ ...base, status: 'error', message: line.error });
        else if ('done' in line) {
          if (digests.size > 1) finish({ ...base, status: 'error', message: 'its runs gave different answers: the side is not deterministic' });
          else finish({ ...base, status: 'measured', timing: summarize(runs), digest: [...digests][0], preview });
        }
      }
    });
    child.on('error', (err) => finish({ ...base, status: 'error', message: `could not start ${command}: ${err.message}` }));
    child.on('close', (code) => finish({ ...base, status: 'error', message: `exited with ${code} while ${phase}: ${stderr.trim().split('\n').pop() ?? ''}` }));
  });
}

function missingEngine(pair: Pair, engines: CompareEngines): string | undefined {
  for (const need of pair.needs) {
    if (!engines[need]) return `needs ${need}: ${engines.missing[need] ?? 'not available'}`;
  }
  return undefined;
}

/** Engines per side and of the pair's infrastructure, as the report and the JSON name them. */
function enginesOf(pair: Pair, engines: CompareEngines): Record<string, string> {
  const out: Record<string, string> = { backend: pair.backend.engine, data: pair.data.engine };
  for (const need of pair.needs) out[need] = engines[need]?.where ?? `missing (${engines.missing[need] ?? 'not available'})`;
  return out;
}

/**
 * Measures one pair at every scale: prepares the data (untimed), runs each side in its own process
 * (warm-ups, then timed runs), checks the answers are the same, and fits the growth.
 */
export async function runPair(pair: Pair, opts: CompareOptions): Promise<PairResult> {
  const skipped = missingEngine(pair, opts.engines);
  const engines = enginesOf(pair, opts.engines);
  if (skipped) return { pair, skipped, results: [], sameAnswer: true, growth: {}, engines };
  const sides: Array<[string, Side]> = [['backend', pair.backend], ['data', pair.data], ...(pair.also ?? []).map((s, i): [string, Side] => [`also:${i}`, s])];
  const overBudgetAt = new Map<string, number>();
  const results: ScaleResult[] = [];
  for (const scale of opts.scales) {
    const outcome: Record<string, SideOutcome> = {};
    const dir = path.join(opts.dataDir, `n${scale}-s${opts.seed}`);
    if (pair.maxScale && scale > pair.maxScale.rows) {
      for (const [which, side] of sides) outcome[which] = { label: side.label, engine: side.engine, status: 'not-run', message: `not run above ${scaleLabel(pair.maxScale.rows)} rows: ${pair.maxScale.why}` };
    } else {
      const ctx: SideContext = {
        dir,
        scale,
        seed: opts.seed,
        postgres: opts.engines.postgres && pair.needs.includes('postgres') ? { ...(opts.engines.postgres.config as pg.ClientConfig), options: `-c statement_timeout=${opts.budgetMs + 1_000}`, schema: `lab_compare_n${scale}_s${opts.seed}` } : undefined,
        kafka: pair.needs.includes('kafka') ? opts.engines.kafka?.brokers : undefined,
      };
      fs.mkdirSync(ctx.dir, { recursive: true });
      const done = opts.output.progress().start(`${pair.id} · ${scaleLabel(scale)} rows · data prepared`);
      const client = ctx.postgres ? new pg.Client(opts.engines.postgres!.config) : undefined;
      try {
        await client?.connect();
        await client?.query(`CREATE SCHEMA IF NOT EXISTS ${ctx.postgres!.schema}`);
        await pair.prepare({ ...ctx, pg: client });
      } finally {
        await client?.end();
      }
      done();
      for (const [which, side] of sides) {
        const earlier = overBudgetAt.get(which);
        if (earlier !== undefined) {
          outcome[which] = { label: side.label, engine: side.engine, status: 'over-budget', message: `not run: already over budget at ${scaleLabel(earlier)} rows` };
          continue;
        }
        const bar = opts.output.progress().bar(`${pair.id} · ${side.label} · ${scaleLabel(scale)} rows`, opts.warmup + opts.runs);
        const result = await runSide(pair, which, side, ctx, opts, (n) => bar.update(n, n <= opts.warmup ? 'warm-up' : 'timed'));
        bar.stop(result.status === 'measured' ? `median ${formatMs(result.timing!.medianMs)}` : result.status === 'over-budget' ? `> budget (${result.message})` : `error: ${result.message}`);
        if (result.status === 'over-budget') overBudgetAt.set(which, scale);
        outcome[which] = result;
      }
    }
    const measured = Object.values(outcome).filter((o) => o.status === 'measured');
    const backend = outcome.backend!;
    const data = outcome.data!;
    const row: ScaleResult = { scale, backend, data, also: sides.slice(2).map(([w]) => outcome[w]!) };
    if (measured.length >= 2) row.sameAnswer = new Set(measured.map((o) => o.digest)).size === 1;
    if (backend.timing && data.timing) Object.assign(row, (({ ratio, spread }) => ({ ratio, ratioSpread: spread }))(ratioOf(backend.timing, data.timing)));
    if (pair.sizes && backend.status !== 'not-run') row.sizes = pair.sizes({ dir, scale, seed: opts.seed });
    results.push(row);
  }
  const points = (pick: (r: ScaleResult) => SideOutcome) => results.filter((r) => pick(r).timing).map((r) => ({ rows: r.scale, ms: pick(r).timing!.medianMs }));
  return {
    pair,
    results,
    sameAnswer: results.every((r) => r.sameAnswer !== false),
    growth: pair.measures ? {} : { backend: growthExponent(points((r) => r.backend)), data: growthExponent(points((r) => r.data)) },
    crossover: crossover(results.filter((r) => r.ratio).map((r) => ({ rows: r.scale, ratio: r.ratio! }))),
    engines,
  };
}
