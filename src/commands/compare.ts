import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pc from 'picocolors';
import { LabError, errorMessage } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { startLabPython } from '../runtime/lab-python.js';
import { getRuntime } from '../runtime/select.js';
import { startTemporaryService, type TemporaryService } from '../runtime/local/processes.js';
import { kafkaService, type KafkaConnection } from '../services/kafka.js';
import { localPostgresProcess, postgresService, probePostgres, type PostgresConnection } from '../services/postgres.js';
import { PAIRS } from '../compare/pairs/index.js';
import type { Engine, Pair } from '../compare/pair.js';
import { pairText, toJson, writeReports } from '../compare/report.js';
import { killRunningSides, runPair, type CompareEngines, type PairResult } from '../compare/run.js';
import { formatCount } from '../ui/output.js';
import { DEFAULT_SEED, type CommandContext } from './context.js';

export interface CompareFlags {
  list?: boolean;
  all?: boolean;
  scales?: string;
  runs?: string;
  budget?: string;
  seed?: string;
  json?: boolean;
  postgres?: string;
}

export const DEFAULT_SCALES = [1e3, 1e4, 1e5];
export const MIN_RUNS = 5;
const DEFAULT_BUDGET_S = 10;

function parseScales(text: string | undefined): number[] {
  if (!text) return DEFAULT_SCALES;
  const scales = text.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const bad = text.split(',').find((s, i) => !Number.isInteger(scales[i]) || scales[i]! < 10 || scales[i]! > 1e8);
  if (bad !== undefined) throw new LabError(`--scales takes row counts from 10 to 10^8, like 1e4,1e5,1e6: '${bad.trim()}' is not one.`, 'Example: lab compare n-plus-one --scales 1e3,1e4,1e5');
  return [...new Set(scales)].sort((a, b) => a - b);
}

function positive(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw new LabError(`${name} must be a number of at least ${min}, not '${text}'.`, `Example: ${name} ${Math.max(min, fallback)}`);
  return n;
}

function choosePairs(ids: string[], flags: CompareFlags): Pair[] {
  if (flags.all || ids.length === 0) return [...PAIRS];
  return ids.map((id) => {
    const pair = PAIRS.find((p) => p.id === id || p.id.startsWith(id));
    if (!pair) throw new LabError(`No pair '${id}'.`, `The pairs: ${PAIRS.map((p) => p.id).join(', ')} (\`lab compare --list\` says what each measures).`);
    return pair;
  });
}

function listPairs(ctx: CommandContext): number {
  const width = Math.max(...PAIRS.map((p) => p.id.length));
  for (const p of PAIRS) {
    ctx.output.result(`${pc.bold(p.id.padEnd(width))}  ${p.title}`);
    ctx.output.result(pc.dim(`${' '.repeat(width)}  ${p.habit.backend} → ${p.habit.data}${p.needs.length ? ` · needs ${p.needs.join(', ')}` : ''}`));
  }
  return 0;
}

async function postgresVersion(config: PostgresConnection): Promise<string> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    return ((await client.query('SHOW server_version')).rows[0].server_version as string).split(' ')[0]!;
  } finally {
    await client.end();
  }
}

/** month1's Postgres when month1 is up on the docker runtime; false (and a local server instead) when it is not, or does not answer. */
async function month1OnDocker(ctx: CommandContext, engines: CompareEngines): Promise<boolean> {
  const month1 = ctx.state.lab('month1');
  if (month1?.status !== 'up' || month1.runtime !== 'docker') return false;
  try {
    const runtime = await getRuntime('docker', ctx.paths);
    const stack = await runtime.attach(await loadLab('month1'), { seed: month1.seed, scale: month1.scale });
    const postgres = await stack.service('oltp');
    await probePostgres(postgres.connection);
    engines.postgres = { config: postgres.connection, where: `PostgreSQL ${await postgresVersion(postgres.connection)}, month1's docker stack (${postgres.displayUrl})` };
    return true;
  } catch (err) {
    ctx.output.info(`  month1's docker Postgres does not answer (${errorMessage(err)}): starting a local one`);
    return false;
  }
}

/** Starts (or reaches) what the chosen pairs need; what cannot start is recorded, and only its pairs are skipped. */
async function startEngines(ctx: CommandContext, needs: Set<Engine>, flags: CompareFlags, started: Array<TemporaryService<unknown>>): Promise<CompareEngines> {
  const engines: CompareEngines = { missing: {} };
  const downloads = process.env.LAB_DOWNLOADS ?? path.join(ctx.paths.home, 'downloads');
  if (needs.has('postgres')) {
    const url = flags.postgres ?? process.env.LAB_COMPARE_POSTGRES_URL;
    try {
      if (url) {
        const u = new URL(url);
        const config: PostgresConnection = { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), password: process.env.PGPASSWORD ?? decodeURIComponent(u.password), database: decodeURIComponent(u.pathname.slice(1) || 'postgres') };
        await probePostgres(config).catch((err) => {
          throw new LabError(`The Postgres at ${u.host} does not answer: ${errorMessage(err)}`, 'Check the URL given with --postgres (or LAB_COMPARE_POSTGRES_URL).');
        });
        engines.postgres = { config, where: `PostgreSQL ${await postgresVersion(config)}, the server at ${u.host} (given)` };
      } else if (await month1OnDocker(ctx, engines)) {
        // month1's compose stack runs a Postgres already: the pairs use it, in schemas of their own.
      } else {
        const server = await startTemporaryService(postgresService, localPostgresProcess, downloads, ctx.output);
        started.push(server);
        engines.postgres = { config: server.connection, where: `PostgreSQL ${await postgresVersion(server.connection)}, a local server started in a temporary directory` };
      }
    } catch (err) {
      if (url) throw err;
      engines.missing.postgres = errorMessage(err);
    }
  }
  if (needs.has('kafka')) {
    try {
      const broker = await startTemporaryService<KafkaConnection>(kafkaService, kafkaService.local!, downloads, ctx.output);
      started.push(broker);
      engines.kafka = { brokers: broker.connection.brokers, where: 'Apache Kafka broker (Maven Central jars on the local JDK), temporary' };
    } catch (err) {
      engines.missing.kafka = errorMessage(err);
    }
  }
  if (needs.has('python')) {
    try {
      // month1's venv has pandas and polars pinned: the comparison uses the learner's own.
      const venv = await startLabPython(ctx.paths, await loadLab('month1'), ctx.output);
      engines.python = { python: venv!.python, where: 'month1\'s Python venv (pandas 2.3)' };
    } catch (err) {
      engines.missing.python = errorMessage(err);
    }
  }
  return engines;
}

const machine = () => `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}`;

/**
 * Measures the backend habit against the data habit, pair by pair: the same data, the same answer
 * checked on both sides, warm-ups then timed runs per scale, the ratio and how each side grows.
 */
export async function compareCommand(ctx: CommandContext, ids: string[], flags: CompareFlags): Promise<number> {
  if (flags.list) return listPairs(ctx);
  const pairs = choosePairs(ids, flags);
  const scales = parseScales(flags.scales);
  const runs = positive('--runs', flags.runs, MIN_RUNS, MIN_RUNS);
  const budgetMs = positive('--budget', flags.budget, DEFAULT_BUDGET_S, 0.001) * 1000;
  const seed = positive('--seed', flags.seed, DEFAULT_SEED, 0);
  const started: Array<TemporaryService<unknown>> = [];
  const stopAll = () => Promise.all(started.splice(0).map((s) => s.stop()));
  const onSignal = () => {
    ctx.output.info('interrupted: stopping the sides and the engines this command started');
    killRunningSides();
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results: PairResult[] = [];
  try {
    ctx.output.info(`lab compare: ${pairs.length} pair${pairs.length === 1 ? '' : 's'} at ${scales.map(formatCount).join(', ')} rows, seed ${seed}, 1 warm-up + ${runs} timed runs per side, ${budgetMs / 1000} s budget per run`);
    const engines = await startEngines(ctx, new Set(pairs.flatMap((p) => p.needs)), flags, started);
    const dataDir = path.join(ctx.paths.home, 'compare', 'data');
    for (const pair of pairs) {
      const result = await runPair(pair, { scales, runs, warmup: 1, budgetMs, seed, dataDir, engines, output: ctx.output });
      results.push(result);
      if (!flags.json) for (const line of pairText(result)) ctx.output.result(line);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
  const dir = path.join(ctx.paths.home, 'compare');
  const files = await writeReports(results, dir, machine());
  const differing = results.filter((r) => !r.sameAnswer).map((r) => r.pair.id);
  const failed = results.filter((r) => r.results.some((x) => [x.backend, x.data, ...x.also].some((o) => o.status === 'error'))).map((r) => r.pair.id);
  if (flags.json) ctx.output.result(JSON.stringify(toJson(results)));
  else {
    if (differing.length) ctx.output.result(pc.red(`The two sides gave different answers in ${differing.join(', ')}: their times are not comparable.`));
    if (failed.length) ctx.output.result(pc.red(`A side failed in ${failed.join(', ')} (the reason is under its table).`));
    const rel = path.relative(process.cwd(), dir) || dir;
    ctx.output.result(`reports: ${files.filter((f) => f.endsWith('.md')).map((f) => path.join(rel, path.basename(f))).join(', ')} (charts beside them)`);
  }
  return differing.length || failed.length ? 1 : 0;
}
