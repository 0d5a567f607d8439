import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DbtExercise, DbtPlant, DbtRunContext } from '../../lab/define.js';
import { loadLab, type LoadedExercise, type LoadedLab } from '../../lab/load.js';
import type { Dataset, StartedStack } from '../../runtime/runtime.js';
import type { SqlSession } from '../../services/duckdb.js';
import type { StartedPythonVenv } from '../../services/python/python.js';
import { quoteLiteral } from '../../sql.js';
import { duckdbWarehouse, postgresWarehouse, type DbtWarehouse } from './dbt-warehouse.js';
import { cachedReference } from './reference.js';
import { runEach, SolutionFailure, type ExerciseRunner, type Job, type KindExtras, type Solution, type Target } from './runner.js';

interface DbtNode {
  name: string;
  resource_type: string;
  status: string;
  failures: number | null;
  message: string | null;
  test: string | null;
  model: string | null;
  column_name: string | null;
  file: string | null;
}

interface ManifestNode {
  name: string;
  resource_type: string;
  schema: string;
  alias?: string;
  original_file_path: string;
  description?: string;
  columns?: Record<string, { description?: string }>;
  test_metadata?: { name: string; kwargs?: { column_name?: string } };
  attached_node?: string;
  column_name?: string | null;
}

const dbtExercises = (lab: LoadedLab) => lab.exercises.filter((e) => e.def.kind === 'dbt');

/** The lab with every exercise: a check of some exercises (`--exercise`) still builds the whole project. */
const wholeLabs = new Map<string, Promise<LoadedLab>>();
function wholeLab(lab: LoadedLab): Promise<LoadedLab> {
  let loaded = wholeLabs.get(lab.dir);
  if (!loaded) wholeLabs.set(lab.dir, (loaded = loadLab(lab.name)));
  return loaded;
}
const defOf = (job: Job) => job.ex.def as DbtExercise;

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

/** What a build depends on besides the learner's file: the lab's project and the other exercises' references. */
function projectDigest(lab: LoadedLab): string {
  const { project } = lab.def.dbt!;
  const root = path.join(lab.dir, project);
  const hash = crypto.createHash('sha256');
  for (const f of filesUnder(root)) hash.update(f).update('\0').update(fs.readFileSync(path.join(root, f)));
  for (const ex of dbtExercises(lab)) hash.update(ex.id).update('\0').update(fs.readFileSync(ex.solutionFile));
  return hash.digest('hex');
}

/** The lab's dbt project with each exercise's file (`fileOf` says which: the learner's, a reference) in its place. */
function assembleProject(lab: LoadedLab, dir: string, fileOf: (ex: LoadedExercise) => string, profile: string): void {
  // The warehouse stays (a snapshot's history is kept between runs by hand); the project's files are laid afresh.
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) if (!entry.endsWith('.duckdb')) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  fs.cpSync(path.join(lab.dir, lab.def.dbt!.project), dir, { recursive: true });
  for (const ex of dbtExercises(lab)) {
    const at = path.join(dir, (ex.def as DbtExercise).path);
    fs.mkdirSync(path.dirname(at), { recursive: true });
    fs.copyFileSync(fileOf(ex), at);
  }
  fs.writeFileSync(path.join(dir, 'profiles.yml'), profile);
}

/** DuckDB's `LINE n:` counts lines of the statement dbt ran; the learner's own line is the one holding the quoted text. */
function learnerLine(message: string, source: string): number | undefined {
  const m = /LINE (\d+):\s*(?:\.\.\.)?(.*?)(?:\.\.\.)?\s*$/m.exec(message);
  if (!m) return undefined;
  const text = m[2]!.trim();
  const lines = source.split('\n');
  const found = text.length >= 4 ? lines.findIndex((l) => l.includes(text) || text.includes(l.trim()) && l.trim().length >= 8) : -1;
  return found >= 0 ? found + 1 : undefined;
}

/** dbt's message for people: its first lines, without the compiled SQL's path or the ANSI colours. */
function dbtMessage(message: string): string {
  const lines = message
    .replace(/\x1b\[[0-9;]*m/g, '')
    // The Python class of dbt's exception says nothing to a learner.
    .replace(/^[\w.]+(?:Error|Exception): /, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^compiled code at /i.test(l) && !/^LINE \d+:/.test(l) && !/^\^/.test(l) && !/^line \d+$/.test(l));
  return lines.slice(0, 2).join(': ').slice(0, 400);
}

interface BuildOutcome {
  nodes: DbtNode[];
  manifest: Record<string, ManifestNode>;
}

/** Runs one dbt command and reads what it did; a project dbt cannot run is the solution's failure, said as `file:line`. */
async function invokeDbt(python: StartedPythonVenv, project: string, args: string[], env: Record<string, string>, solution: Solution, learnerPath: string): Promise<BuildOutcome> {
  fs.rmSync(path.join(project, 'target', 'run_results.json'), { force: true });
  const run = await python.runDbt({ cwd: project, args: [...args, '--profiles-dir', project, '--project-dir', project, '--no-partial-parse', '--quiet', '--no-use-colors'], env, timeoutMs: solution.timeoutMs });
  if ('timedOut' in run) throw new SolutionFailure(`${solution.rel}: dbt ${args[0]} was still running after ${Math.round(solution.timeoutMs / 1000)} s`, true);
  const resultsFile = path.join(project, 'target', 'run_results.json');
  if (run.exception || !fs.existsSync(resultsFile)) {
    // dbt could not parse or compile the project: its message names the file, and for Jinja the line.
    const raw = run.exception ?? 'dbt did not run';
    const line = /^\s+line (\d+)\s*$/m.exec(raw)?.[1];
    if (raw.includes(learnerPath)) throw new SolutionFailure(`${solution.rel}${line ? `:${line}` : ''}: ${dbtMessage(raw).replace(/\s*\((?:[\w./-]+\.(?:sql|yml|yaml))\)/, '')}`);
    throw new SolutionFailure(`${solution.rel}: dbt could not read the project: ${dbtMessage(raw)}${line ? ` (line ${line})` : ''}`);
  }
  const manifest = (JSON.parse(fs.readFileSync(path.join(project, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, ManifestNode> }).nodes;
  const results = (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { results: Array<{ unique_id: string; status: string; failures: number | null; message: string | null }> }).results;
  const nodes = results.map((r): DbtNode => {
    const n = manifest[r.unique_id];
    const attached = n?.attached_node ? manifest[n.attached_node] : undefined;
    return {
      name: n?.name ?? r.unique_id,
      resource_type: n?.resource_type ?? r.unique_id.split('.')[0]!,
      status: r.status,
      failures: r.failures,
      message: r.message,
      test: n?.test_metadata?.name ?? null,
      model: attached?.name ?? null,
      column_name: n?.column_name ?? n?.test_metadata?.kwargs?.column_name ?? null,
      file: n?.original_file_path ?? null,
    };
  });
  return { nodes, manifest };
}

/** A model or snapshot that did not build is a failure of the file it is in, or of the learner's that it reads. */
function failOnBrokenNode(outcome: BuildOutcome, solution: Solution, learnerPath: string, warehouse: DbtWarehouse): void {
  const { nodes } = outcome;
  const broken = nodes.find((n) => n.status === 'error' && n.resource_type !== 'test');
  if (broken) {
    const message = dbtMessage(broken.message ?? 'failed');
    if (broken.file === learnerPath) {
      const line = learnerLine(broken.message ?? '', solution.source);
      const note = warehouse.dialectNote(solution.source);
      throw new SolutionFailure(`${solution.rel}${line ? `:${line}` : ''}: ${message.replace(/^(?:Runtime|Database) Error in \w+ \w+ \([^)]*\):?\s*/, '')}${note ? ` (${note})` : ''}`);
    }
    throw new SolutionFailure(`${solution.rel}: ${broken.name} (${broken.file}, which reads yours) did not build: ${message.replace(/^(?:Runtime|Database) Error in \w+ \w+ \([^)]*\):?\s*/, '')}`);
  }
}

/** A table of the session from plain rows (dbt's results), through a JSON-lines file. */
async function nodesTable(session: SqlSession, table: string, nodes: DbtNode[], dir: string): Promise<void> {
  const file = path.join(dir, `${table}.jsonl`);
  fs.writeFileSync(file, nodes.map((n) => JSON.stringify(n)).join('\n') + '\n');
  await session.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', columns = {name: 'VARCHAR', resource_type: 'VARCHAR', status: 'VARCHAR', failures: 'BIGINT', message: 'VARCHAR', test: 'VARCHAR', model: 'VARCHAR', column_name: 'VARCHAR', file: 'VARCHAR'})`);
}

/** Copies every model and snapshot dbt built into the session, as `<table>__<node>`; the result node's rows become `table`. */
async function readBuilt(session: SqlSession, warehouse: DbtWarehouse, outcome: BuildOutcome, table: string, result: string, solution: Solution): Promise<Record<string, string>> {
  const built = new Set(outcome.nodes.filter((n) => n.status === 'success').map((n) => n.name));
  const tables = Object.values(outcome.manifest)
    .filter((n) => (n.resource_type === 'model' || n.resource_type === 'snapshot') && built.has(n.name))
    .map((n) => ({ schema: n.schema, name: n.alias ?? n.name, as: `${table}__${n.name}`, node: n.name }));
  await warehouse.readBuilt(session, tables);
  const models = Object.fromEntries(tables.map((t) => [t.node, t.as]));
  if (!models[result]) throw new SolutionFailure(`${solution.rel}: the build made no ${result}: name the ${result.includes('snapshot') ? 'snapshot' : 'model'} \`${result}\``);
  await session.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${models[result]}`);
  return models;
}

/** Where this stack's dbt builds: on its Postgres when it has one (containers), else a DuckDB file beside the project. */
async function warehouseOf(stack: StartedStack, target: Pick<Target, 'dataset' | 'session'>, project: string, opts: { byHand?: boolean } = {}): Promise<DbtWarehouse> {
  if (!stack.has('oltp')) return duckdbWarehouse(stack.lab, target, project);
  const postgres = await stack.service('oltp');
  return postgresWarehouse(stack.lab, target, postgres, { project, ...(opts.byHand ? { database: postgres.connection.database } : {}) });
}

/** The faults' SQL with each `w.<node>` spelled where the build put it. */
function plantStatements(plants: DbtPlant[], manifest: Record<string, ManifestNode>) {
  const nodes = Object.values(manifest).filter((n) => n.resource_type === 'model' || n.resource_type === 'snapshot');
  return (qualify: (schema: string, table: string) => string) =>
    plants.map((plant) => plant.sql.replace(/\bw\.(\w+)\b/g, (whole, name: string) => {
      const n = nodes.find((x) => x.name === name);
      return n ? qualify(n.schema, n.alias ?? n.name) : whole;
    }));
}

/** Builds the project with the solution's file on every target, load after load; then plants the exercise's faults and runs its tests. */
async function runBuilds(job: Job, targets: Target[], solution: Solution, extras: Array<KindExtras<'dbt'>> = []) {
  const { stack } = job;
  const def = defOf(job);
  const python = await stack.service('python');
  return runEach(targets, async (t) => {
    const project = path.join(t.dataset.cacheDir, 'dbt', `${job.ex.id}-${solution.table}-${process.pid}`);
    t.scratch.push(project);
    fs.rmSync(project, { recursive: true, force: true });
    const warehouse = await warehouseOf(stack, t, project);
    try {
      assembleProject(await wholeLab(stack.lab), project, (ex) => (ex.id === job.ex.id ? solution.file : ex.solutionFile), warehouse.profile);
      let outcome: BuildOutcome | undefined;
      for (const load of def.loads ?? [{}]) {
        outcome = await invokeDbt(python, project, ['build'], await warehouse.land(load), solution, def.path);
        failOnBrokenNode(outcome, solution, def.path, warehouse);
      }
      const models = await readBuilt(t.session, warehouse, outcome!, solution.table, def.result, solution);
      const nodes = `${solution.table}__dbt_nodes`;
      await nodesTable(t.session, nodes, outcome!.nodes, project);
      let planted: string | undefined;
      if (def.plants?.length) {
        const env = await warehouse.plant(plantStatements(def.plants, outcome!.manifest));
        const tested = await invokeDbt(python, project, ['test'], env, solution, def.path);
        planted = `${solution.table}__dbt_planted`;
        await nodesTable(t.session, planted, tested.nodes, project);
      }
      const docs = Object.values(outcome!.manifest)
      .filter((n) => n.resource_type === 'model')
      .map((n) => ({ name: n.name, description: n.description ?? '', columns: Object.fromEntries(Object.entries(n.columns ?? {}).map(([c, v]) => [c, v.description ?? ''])) }));
      extras.push({ models, nodesTable: nodes, ...(planted ? { plantedTable: planted } : {}), docs } satisfies Omit<DbtRunContext, keyof import('../../lab/define.js').RunContext>);
    } finally {
      await warehouse.close();
    }
  });
}

export const dbtRunner: ExerciseRunner<'dbt'> = {
  kind: 'dbt',
  // A build is a few dbt commands, each about a second warm; the first also imports dbt.
  defaultTimeoutMs: 120_000,
  lane: 'python',
  fingerprint: async (job) => [projectDigest(await wholeLab(job.stack.lab))],
  prepareReference: async (job, targets) => cachedReference(job, targets, (ts, s) => runBuilds(job, ts, s), [projectDigest(await wholeLab(job.stack.lab))]),
  async runLearner(job, targets, solution) {
    const extras: Array<KindExtras<'dbt'>> = [];
    const failure = await runBuilds(job, targets, solution, extras);
    return { failure, extras };
  },
};

/** What `lab run` shows of one dbt node. */
export interface DbtNodeReport {
  name: string;
  resource_type: string;
  status: string;
  failures: number | null;
  message: string | null;
  file: string | null;
}

/**
 * Builds the learner's own project by hand (`lab run month3`): every exercise's file from the
 * workspace, on the learner's dataset, into a warehouse that persists between runs (a snapshot
 * grows with each load). `load` is the position in the loads a snapshot exercise declares (1: the
 * first). A project dbt cannot build is a SolutionFailure naming the file.
 */
export async function runDbtByHand(stack: StartedStack, dataset: Dataset, session: SqlSession, opts: { learnerFile: (ex: LoadedExercise) => string; rel: (file: string) => string; select?: string; load: number; timeoutMs: number }): Promise<{ project: string; where: string; nodes: DbtNodeReport[] }> {
  const lab = await wholeLab(stack.lab);
  const loads = dbtExercises(lab).map((ex) => (ex.def as DbtExercise).loads ?? [{}]).reduce((a, b) => (b.length > a.length ? b : a), [{}]);
  if (opts.load < 1 || opts.load > loads.length) throw new SolutionFailure(`there ${loads.length === 1 ? 'is one load' : `are ${loads.length} loads`}: --load 1${loads.length > 1 ? ` to ${loads.length}` : ''}`);
  const project = path.join(dataset.cacheDir, 'dbt', 'your-project');
  const warehouse = await warehouseOf(stack, { dataset, session }, project, { byHand: true });
  assembleProject(lab, project, opts.learnerFile, warehouse.profile);
  const env = await warehouse.land(loads[opts.load - 1]!);
  const python = await stack.service('python');
  let outcome: BuildOutcome;
  const solution: Solution = { file: '', rel: 'your dbt project', source: '', timeoutMs: opts.timeoutMs, table: 'learner' };
  try {
    outcome = await invokeDbt(python, project, ['build', ...(opts.select ? ['--select', opts.select] : [])], env, solution, '\0');
  } catch (err) {
    if (!(err instanceof SolutionFailure)) throw err;
    // A message names a file by its place in the project: name the workspace file instead.
    let message = err.message;
    for (const ex of dbtExercises(lab)) message = message.split((ex.def as DbtExercise).path).join(opts.rel(opts.learnerFile(ex)));
    throw new SolutionFailure(message.replace(/^your dbt project: /, ''), err.timedOut);
  }
  const byPath = new Map(dbtExercises(lab).map((ex) => [(ex.def as DbtExercise).path, opts.learnerFile(ex)]));
  return {
    project,
    where: warehouse.where,
    nodes: outcome.nodes.map(({ name, resource_type, status, failures, message, file }) => {
      const own = file ? byPath.get(file) : undefined;
      // A learner's file that failed: its line, as `lab check` says it.
      const line = own && status === 'error' && message ? learnerLine(message, fs.readFileSync(own, 'utf8')) : undefined;
      return { name, resource_type, status, failures, message: message && dbtMessage(message).replace(/^(?:Runtime|Database) Error in \w+ \w+ \([^)]*\):?\s*/, ''), file: own ? `${opts.rel(own)}${line ? `:${line}` : ''}` : file };
    }),
  };
}
