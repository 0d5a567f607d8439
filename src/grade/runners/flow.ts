import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FlowExercise, FlowRun } from '../../lab/define.js';
import { PACKAGE_ROOT } from '../../paths.js';
import type { StartedPrefect, TaskRunRecord } from '../../services/prefect.js';
import { quoteIdentifier, quoteLiteral } from '../../sql.js';
import { openDatasetSession } from '../../runtime/dataset-session.js';
import { cachedReference } from './reference.js';
import { runEach, SolutionFailure, type ExerciseRunner, type Job, type KindExtras, type Solution, type Target } from './runner.js';

const FLOW_HARNESS = path.join(PACKAGE_ROOT, 'src', 'services', 'python', 'flow_harness.py');
/** After TERM, a flow process gets this long to stop before KILL. */
const STOP_GRACE_MS = 3_000;
/** In an overlap scenario, the second run starts this much after the first, as a cron and a backfill would collide. */
const OVERLAP_DELAY_MS = 200;
/** How long the server may take to record the task runs of a finished flow run. */
const TASK_RUNS_RECORDED_WITHIN_MS = 15_000;

interface DayFault {
  day: string;
  transient_failures: number;
  late_ms: number;
  outage: boolean;
}

interface HarnessResult {
  flow_run_id?: string;
  state?: string;
  message?: string;
  error?: { kind: string; message: string; line: number | null };
}

/** A run's folders: the landing copy the flow reads, its out/, the source's state, and its own PREFECT_HOME. */
interface RunDirs {
  root: string;
  landing: string;
  out: string;
  state: string;
  prefectHome: string;
}

function runDirs(target: Target, name: string): RunDirs {
  const root = path.join(target.dataset.cacheDir, 'runs', `${name}-${process.pid}`);
  fs.rmSync(root, { recursive: true, force: true });
  target.scratch.push(root);
  const dirs = { root, landing: path.join(root, 'landing'), out: path.join(root, 'out'), state: path.join(root, 'state'), prefectHome: path.join(root, 'prefect-home') };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  return dirs;
}

/** The landed days' drops, copied; a late day's drop is held back until the flow has started asking. */
function copyLanding(datasetDir: string, dirs: RunDirs, held: Set<string>): string[] {
  const landing = path.join(datasetDir, 'landing');
  const days = fs.readdirSync(landing).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  for (const day of days) if (!held.has(day)) fs.cpSync(path.join(landing, day), path.join(dirs.landing, day), { recursive: true });
  return days;
}

/** Lands a held-back drop as an export would: the whole file at once (written beside, then renamed). */
function landLate(datasetDir: string, dirs: RunDirs, day: string): void {
  const tmp = path.join(dirs.landing, `.${day}.landing`);
  fs.cpSync(path.join(datasetDir, 'landing', day), tmp, { recursive: true });
  fs.renameSync(tmp, path.join(dirs.landing, day));
}

function eventsFile(dirs: RunDirs): string {
  return path.join(dirs.state, 'events.jsonl');
}

/** One flow process: `pipeline(start, end)` against the lab's server; stopped (its group) at the time limit. */
async function runFlow(job: Job, prefect: StartedPrefect, solution: Solution, dirs: RunDirs, range: [string, string], tag: string, extraEnv: Record<string, string> = {}): Promise<FlowRun & { error?: HarnessResult['error']; log: string }> {
  const python = await job.stack.service('python');
  const def = job.ex.def as FlowExercise;
  const resultFile = path.join(dirs.root, `result-${tag}.json`);
  fs.rmSync(resultFile, { force: true });
  const env = {
    ...process.env,
    ...prefect.clientEnv(),
    PREFECT_HOME: dirs.prefectHome,
    PREFECT_LOGGING_LEVEL: 'WARNING',
    PYTHONDONTWRITEBYTECODE: '1',
    // The lab's own modules (lab_flow) sit in its folder.
    PYTHONPATH: [job.stack.lab.dir, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
    LAB_FLOW_LANDING: dirs.landing,
    LAB_FLOW_OUTPUT: dirs.out,
    LAB_FLOW_STATE: dirs.state,
    ...(def.sourceLatencyMs ? { LAB_FLOW_READ_MS: String(def.sourceLatencyMs) } : {}),
    ...extraEnv,
  };
  const t0 = Date.now();
  const child = spawn(python.python, [FLOW_HARNESS, solution.file, range[0], range[1], resultFile], { cwd: dirs.root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  const keep = (c: Buffer) => (log = (log + c.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let timedOut = false;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* gone already */
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    signal('SIGTERM');
    setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS).unref();
  }, solution.timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  const wallMs = Date.now() - t0;
  const base = { start: range[0], end: range[1], wallMs, log };
  if (timedOut) throw new SolutionFailure(`${solution.rel}: stopped after ${Math.round(solution.timeoutMs / 1000)} s: the flow over ${range[0]}..${range[1]} was still running`, true);
  let result: HarnessResult;
  try {
    result = JSON.parse(fs.readFileSync(resultFile, 'utf8')) as HarnessResult;
  } catch {
    const last = log.trim().split('\n').filter((l) => l.trim()).slice(-3).join(' · ');
    throw new SolutionFailure(`${solution.rel}: the flow process exited (code ${code}) before its run ended: ${last || 'no output'}`);
  }
  if (result.error) throw new SolutionFailure(`${solution.rel}${result.error.line ? `:${result.error.line}` : ''}: ${result.error.kind}: ${result.error.message}`);
  return { ...base, flowRunId: result.flow_run_id, state: result.state ?? 'UNKNOWN', message: result.message ?? '' };
}

/** Lands the held-back day `lateMs` after the flow first asks the source for anything. */
function landWhenAsked(datasetDir: string, dirs: RunDirs, day: string, lateMs: number): () => void {
  let landed = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = setInterval(() => {
    if (timer || !fs.existsSync(eventsFile(dirs))) return;
    timer = setTimeout(() => {
      landLate(datasetDir, dirs, day);
      landed = true;
    }, lateMs);
  }, 100);
  return () => {
    clearInterval(poll);
    if (timer) clearTimeout(timer);
    if (!landed) landLate(datasetDir, dirs, day);
  };
}

/** A table of the session from JavaScript rows, with its columns declared (an empty one still has them). */
async function tableFromRows(target: Target, dirs: RunDirs, name: string, rows: object[], columns: Record<string, string>): Promise<void> {
  const file = path.join(dirs.root, `${name}.jsonl`);
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  const cols = `{${Object.entries(columns).map(([c, t]) => `${quoteLiteral(c)}: ${quoteLiteral(t)}`).join(', ')}}`;
  const select = rows.length ? `SELECT * FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', columns = ${cols})` : `SELECT ${Object.entries(columns).map(([c, t]) => `NULL::${t} AS ${quoteIdentifier(c)}`).join(', ')} WHERE false`;
  await target.session.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdentifier(name)} AS ${select}`);
}

/** The Parquet files under out/<output>/day=<day>/ as a table (with `day` from the folder when the files lack it), and their partitions. */
async function loadPartitions(target: Target, dirs: RunDirs, output: string, table: string): Promise<void> {
  const root = path.join(dirs.out, output);
  const files = fs.existsSync(root) ? (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.parquet') && /(^|\/)day=\d{4}-\d{2}-\d{2}\//.test(f)).map((f) => path.join(root, f)).sort() : [];
  const s = target.session;
  if (files.length === 0) {
    const like = (await s.scalar(`SELECT count(*) FROM duckdb_tables() WHERE table_name = 'reference'`).catch(() => 0)) || (await s.scalar(`SELECT count(*) FROM duckdb_views() WHERE view_name = 'reference'`).catch(() => 0));
    await s.run(Number(like) && table !== 'reference' ? `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM reference WHERE false` : `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT NULL::DATE AS day WHERE false`);
    await s.run(`CREATE OR REPLACE TEMP TABLE ${table}_partitions AS SELECT NULL::DATE AS day, NULL::VARCHAR AS file, NULL::BIGINT AS rows WHERE false`);
    return;
  }
  await s.run(`CREATE OR REPLACE TEMP TABLE ${table}_files AS SELECT *, regexp_extract(filename, 'day=([0-9]{4}-[0-9]{2}-[0-9]{2})', 1)::DATE AS _partition_day FROM read_parquet([${files.map(quoteLiteral).join(', ')}], filename = true, union_by_name = true, hive_partitioning = false)`);
  const columns = (await s.queryObjects(`SELECT column_name FROM (DESCRIBE ${table}_files)`)).map((r) => String(r.column_name));
  // The day is the folder's: a `day` column the files also carry (a string, a timestamp) gives way to it.
  await s.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT _partition_day AS day, * EXCLUDE (filename, _partition_day${columns.includes('day') ? ', day' : ''}) FROM ${table}_files`);
  await s.run(`CREATE OR REPLACE TEMP TABLE ${table}_partitions AS SELECT _partition_day AS day, filename AS file, count(*) AS rows FROM ${table}_files GROUP BY ALL`);
  await s.run(`DROP TABLE ${table}_files`);
}

const ms = (t: string | null) => (t ? Date.parse(t) : null);

/** The events the lab's source logged in a run's folder, in order. */
function readEvents(dirs: RunDirs): Array<{ seq: number; task_run_id?: string | null }> {
  return fs.existsSync(eventsFile(dirs)) ? fs.readFileSync(eventsFile(dirs), 'utf8').split('\n').filter(Boolean).map((l, i) => ({ seq: i + 1, ...(JSON.parse(l) as { task_run_id?: string | null }) })) : [];
}

/** Task runs reach the server as events, recorded a moment after the flow process has gone: waits for those the source saw. */
async function recordedTaskRuns(prefect: StartedPrefect, flowRunIds: string[], events: Array<{ task_run_id?: string | null }>): Promise<TaskRunRecord[]> {
  const seen = new Set(events.map((e) => e.task_run_id).filter((id): id is string => !!id));
  let taskRuns = await prefect.taskRuns(flowRunIds);
  for (const deadline = Date.now() + TASK_RUNS_RECORDED_WITHIN_MS; Date.now() < deadline; ) {
    const recorded = new Set(taskRuns.filter((t) => t.end_time || t.state_type === 'FAILED' || t.state_type === 'COMPLETED').map((t) => t.id));
    if ([...seen].every((id) => recorded.has(id))) break;
    await new Promise((r) => setTimeout(r, 250));
    taskRuns = await prefect.taskRuns(flowRunIds);
  }
  return taskRuns;
}

/** The source as the exercise meets it: the drops copied (a late one held back), its transient faults written; the dataset's days and faults. */
async function prepareSource(def: FlowExercise, prefect: StartedPrefect, session: Target['session'], datasetDir: string, dirs: RunDirs): Promise<{ days: string[]; faults: DayFault[]; late?: DayFault }> {
  const faults = (await session.queryObjects(`SELECT day::VARCHAR AS day, transient_failures, late_ms, outage FROM faults ORDER BY day`)).map((r) => ({ day: String(r.day), transient_failures: Number(r.transient_failures), late_ms: Number(r.late_ms), outage: r.outage === true })) as DayFault[];
  const late = def.faults?.includes('late') ? faults.find((f) => f.late_ms > 0) : undefined;
  const days = copyLanding(datasetDir, dirs, new Set(late ? [late.day] : []));
  const transient = def.faults?.includes('transient') ? Object.fromEntries(faults.filter((f) => f.transient_failures > 0).map((f) => [f.day, { transient_failures: f.transient_failures }])) : {};
  fs.writeFileSync(path.join(dirs.state, 'faults.json'), JSON.stringify(transient));
  for (const [name, limit] of Object.entries(def.concurrencyLimits ?? {})) await prefect.ensureConcurrencyLimit(name, limit);
  return { days, faults, ...(late ? { late } : {}) };
}

/** The run history the server kept for these runs, and the source's event log, as tables. */
async function loadHistory(prefect: StartedPrefect, target: Target, dirs: RunDirs, table: string, runs: FlowRun[]): Promise<void> {
  const ids = runs.map((r) => r.flowRunId).filter((id): id is string => !!id);
  const flowRuns = await prefect.flowRuns(ids);
  const runOf = (id: string) => runs.findIndex((r) => r.flowRunId === id) + 1;
  await tableFromRows(target, dirs, `${table}_flow_runs`, flowRuns.map((f) => ({ run: runOf(f.id), flow_run_id: f.id, state_type: f.state_type, start_ms: ms(f.start_time), end_ms: ms(f.end_time) })), { run: 'INTEGER', flow_run_id: 'VARCHAR', state_type: 'VARCHAR', start_ms: 'BIGINT', end_ms: 'BIGINT' });
  const events = readEvents(dirs);
  const taskRuns = await recordedTaskRuns(prefect, ids, events);
  await tableFromRows(target, dirs, `${table}_task_runs`, taskRuns.map((t) => ({ run: runOf(t.flow_run_id), flow_run_id: t.flow_run_id, task_run_id: t.id, name: t.name, task_key: t.task_key, state_type: t.state_type, run_count: t.run_count, start_ms: ms(t.start_time), end_ms: ms(t.end_time), retries: t.empirical_policy?.retries ?? null, retry_delay: JSON.stringify(t.empirical_policy?.retry_delay ?? null) })), { run: 'INTEGER', flow_run_id: 'VARCHAR', task_run_id: 'VARCHAR', name: 'VARCHAR', task_key: 'VARCHAR', state_type: 'VARCHAR', run_count: 'INTEGER', start_ms: 'BIGINT', end_ms: 'BIGINT', retries: 'INTEGER', retry_delay: 'VARCHAR' });
  await tableFromRows(target, dirs, `${table}_events`, events, { seq: 'INTEGER', op: 'VARCHAR', day: 'VARCHAR', task_run_id: 'VARCHAR', task_run_name: 'VARCHAR', flow_run_id: 'VARCHAR', pid: 'INTEGER', start_ms: 'BIGINT', end_ms: 'BIGINT', at_ms: 'BIGINT', attempt: 'INTEGER', ok: 'BOOLEAN', error: 'VARCHAR', rows: 'BIGINT', landed: 'BOOLEAN' });
}

/** The ranges each run of a scenario covers, over the dataset's days. */
function rangesOf(scenario: NonNullable<FlowExercise['scenario']>, days: string[]): Array<[string, string]> {
  const n = days.length;
  const all: [string, string] = [days[0]!, days[n - 1]!];
  if (scenario === 'backfill') return [[days[1]!, days[n - 2]!]];
  if (scenario === 'overlap') return [[days[0]!, days[Math.ceil((2 * n) / 3) - 1]!], [days[Math.floor(n / 3)]!, days[n - 1]!]];
  if (scenario === 'rerun' || scenario === 'resume') return [all, all];
  return [all];
}

/** The exercise's scenario on one dataset: its runs, then what they left, as the target's tables. */
async function runScenario(job: Job, target: Target, solution: Solution): Promise<KindExtras<'flow'>> {
  const def = job.ex.def as FlowExercise;
  const scenario = def.scenario ?? 'once';
  const prefect = await job.stack.service('orchestrator');
  const dirs = runDirs(target, `${job.ex.id}-${solution.table}`);
  const { days, faults, late } = await prepareSource(def, prefect, target.session, target.dataset.dir, dirs);
  const outage = scenario === 'resume' ? faults.find((f) => f.outage) : undefined;
  if (outage) fs.writeFileSync(path.join(dirs.state, `outage-${outage.day}`), 'the export service is down for this day during the first run\n');

  const ranges = rangesOf(scenario, days);
  const runs: FlowRun[] = [];
  const stopLate = late ? landWhenAsked(target.dataset.dir, dirs, late.day, late.late_ms) : undefined;
  try {
    if (scenario === 'overlap') {
      // The two runs meet at their first call to the source: they overlap however long each takes to start.
      const together = { LAB_FLOW_BARRIER: '2' };
      const first = runFlow(job, prefect, solution, dirs, ranges[0]!, '1', together);
      first.catch(() => undefined);
      await new Promise((r) => setTimeout(r, OVERLAP_DELAY_MS));
      const second = runFlow(job, prefect, solution, dirs, ranges[1]!, '2', together);
      second.catch(() => undefined);
      runs.push(await first, await second);
    } else {
      runs.push(await runFlow(job, prefect, solution, dirs, ranges[0]!, '1'));
      if (ranges.length > 1) {
        await loadPartitions(target, dirs, def.output, `${solution.table}_first`);
        if (outage) fs.rmSync(path.join(dirs.state, `outage-${outage.day}`), { force: true });
        runs.push(await runFlow(job, prefect, solution, dirs, ranges[1]!, '2'));
      }
    }
  } finally {
    stopLate?.();
  }
  await loadPartitions(target, dirs, def.output, solution.table);
  await loadHistory(prefect, target, dirs, solution.table, runs);
  let summary: unknown;
  try {
    summary = JSON.parse(fs.readFileSync(path.join(dirs.out, 'summary.json'), 'utf8'));
  } catch {
    summary = undefined;
  }
  const t = solution.table;
  return {
    partitionsTable: `${t}_partitions`,
    ...(ranges.length > 1 && scenario !== 'overlap' ? { firstRunTable: `${t}_first` } : {}),
    flowRunsTable: `${t}_flow_runs`,
    taskRunsTable: `${t}_task_runs`,
    eventsTable: `${t}_events`,
    runs: runs.map(({ flowRunId, state, message, start, end, wallMs }) => ({ ...(flowRunId ? { flowRunId } : {}), state, message, start, end, wallMs })),
    summary,
  };
}

/** A Prefect flow over the lab's daily drops, run against the lab's server and judged on its partitions and its run history. */
export const flowRunner: ExerciseRunner<'flow'> = {
  kind: 'flow',
  defaultTimeoutMs: 180_000,
  // A flow process is Python beside the runner, like solve().
  lane: 'python',
  // The lab's source module is part of every run.
  fingerprint: async (job) => [crypto.createHash('sha256').update(fs.readFileSync(path.join(job.stack.lab.dir, 'lab_flow.py'))).digest('hex').slice(0, 16)],
  prepareReference: (job, targets) =>
    cachedReference(job, targets, (ts, solution) =>
      runEach(ts, async (t) => {
        const extras = await runScenario(job, t, solution);
        // A reference run that did not complete is the lab's fault, whatever its partitions say.
        const bad = extras.runs.find((r, i) => r.state !== 'COMPLETED' && !((job.ex.def as FlowExercise).scenario === 'resume' && i === 0));
        if (bad) throw new SolutionFailure(`its flow run over ${bad.start}..${bad.end} ended ${bad.state}: ${bad.message}`);
      }),
    ),
  async runLearner(job, targets, solution) {
    const extras: Array<KindExtras<'flow'>> = [];
    const failure = await runEach(targets, async (t) => {
      extras.push(await runScenario(job, t, solution));
    });
    return { failure, extras };
  },
};

/** What `lab run` shows of a flow run by hand: how it ended, its task runs, and the partitions it left. */
export interface FlowRunReport {
  run: FlowRun;
  taskRuns: Array<{ name: string; state: string; runCount: number; ms: number | null }>;
  partitions: Array<{ day: string; files: number; rows: number }>;
  outDir: string;
}

/**
 * The learner's flow, run once by hand over a range of the learner's seed, with the exercise's
 * source faults, into a folder kept between runs (so a second run shows whether it replaces or appends).
 */
export async function runFlowByHand(job: Job, file: string, rel: string, home: string, range: [string, string] | undefined, timeoutMs: number): Promise<FlowRunReport> {
  const def = job.ex.def as FlowExercise;
  const dataset = job.stack.datasets[0]!;
  const prefect = await job.stack.service('orchestrator');
  const root = path.join(home, 'flow-runs', job.ex.id);
  const dirs: RunDirs = { root, landing: path.join(root, 'landing'), out: path.join(root, 'out'), state: path.join(root, 'state'), prefectHome: path.join(root, 'prefect-home') };
  // The source starts afresh each run (its faults happen again); the output and Prefect's caches are kept.
  for (const d of [dirs.landing, dirs.state]) fs.rmSync(d, { recursive: true, force: true });
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const session = await openDatasetSession(job.stack.lab, dataset);
  try {
    const { days, late } = await prepareSource(def, prefect, session, dataset.dir, dirs);
    const stopLate = late ? landWhenAsked(dataset.dir, dirs, late.day, late.late_ms) : undefined;
    let run: FlowRun;
    try {
      run = await runFlow(job, prefect, { file, rel, source: fs.readFileSync(file, 'utf8'), timeoutMs, table: 'learner' }, dirs, range ?? [days[0]!, days.at(-1)!], String(Date.now()));
    } finally {
      stopLate?.();
    }
    const taskRuns = run.flowRunId ? await recordedTaskRuns(prefect, [run.flowRunId], readEvents(dirs)) : [];
    const partitions: FlowRunReport['partitions'] = [];
    const table = path.join(dirs.out, def.output);
    for (const folder of fs.existsSync(table) ? fs.readdirSync(table).sort() : []) {
      const day = /^day=(\d{4}-\d{2}-\d{2})$/.exec(folder)?.[1];
      if (!day) continue;
      const files = fs.readdirSync(path.join(table, folder)).filter((f) => f.endsWith('.parquet')).map((f) => path.join(table, folder, f));
      const rows = files.length ? Number(await session.scalar(`SELECT count(*) FROM read_parquet([${files.map(quoteLiteral).join(', ')}])`)) : 0;
      partitions.push({ day, files: files.length, rows });
    }
    return {
      run,
      taskRuns: taskRuns.map((t) => ({ name: t.name, state: t.state_name, runCount: t.run_count, ms: t.start_time && t.end_time ? Date.parse(t.end_time) - Date.parse(t.start_time) : null })),
      partitions,
      outDir: table,
    };
  } finally {
    session.close();
  }
}
