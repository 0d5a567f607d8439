import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import { probeHttp } from './probes.js';
import { defineService, type LocalProcessContext } from './service.js';

export const PREFECT_PORT = 4200;
/** The local server's API on 127.0.0.1. */
export const LOCAL_PREFECT_PORT = 44200;
/** The first start migrates its SQLite database: slow on two busy cores. */
const PREFECT_READY_WITHIN_MS = 180_000;

export interface PrefectConnection {
  /** The server's API, e.g. http://127.0.0.1:44200/api (PREFECT_API_URL). */
  apiUrl: string;
}

/** Ready when the server's health endpoint answers. */
export function probePrefect(conn: PrefectConnection): Promise<void> {
  return probeHttp(`${conn.apiUrl}/health`);
}

/** A flow run as the server recorded it. */
export interface FlowRunRecord {
  id: string;
  name: string;
  state_type: string;
  state_name: string;
  run_count: number;
  start_time: string | null;
  end_time: string | null;
  parameters: Record<string, unknown>;
}

/** A task run: its task (task_key), how many times it ran (run_count > 1: retried), its final state. */
export interface TaskRunRecord {
  id: string;
  name: string;
  flow_run_id: string;
  task_key: string;
  state_type: string;
  state_name: string;
  run_count: number;
  start_time: string | null;
  end_time: string | null;
  empirical_policy: { retries?: number | null; retry_delay?: number | number[] | null };
}

/** The states a task run went through, in order (Running, AwaitingRetry, Retrying, Completed…). */
export interface StateRecord {
  type: string;
  name: string;
  timestamp: string;
}

const ENV_OFFLINE = { PREFECT_SERVER_ANALYTICS_ENABLED: 'false', PREFECT_SERVER_UI_ENABLED: 'false', DO_NOT_TRACK: '1', PREFECT_SERVER_LOGGING_LEVEL: 'WARNING' };

export class StartedPrefect {
  constructor(readonly connection: PrefectConnection) {}

  get apiUrl(): string {
    return this.connection.apiUrl;
  }

  /** What a flow process needs to report to this server, and nothing else (no telemetry, no UI). */
  clientEnv(): Record<string, string> {
    return { PREFECT_API_URL: this.apiUrl, ...ENV_OFFLINE };
  }

  private async post<T>(route: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.apiUrl}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`Prefect ${route}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as T;
  }

  async flowRuns(ids: string[]): Promise<FlowRunRecord[]> {
    if (ids.length === 0) return [];
    return this.post('/flow_runs/filter', { flow_runs: { id: { any_: ids } }, limit: 200 });
  }

  /** Every task run of these flow runs (paged: a backfill of a year has hundreds). */
  async taskRuns(flowRunIds: string[]): Promise<TaskRunRecord[]> {
    if (flowRunIds.length === 0) return [];
    const out: TaskRunRecord[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = await this.post<TaskRunRecord[]>('/task_runs/filter', { flow_runs: { id: { any_: flowRunIds } }, sort: 'EXPECTED_START_TIME_ASC', limit: 200, offset });
      out.push(...page);
      if (page.length < 200) return out;
    }
  }

  /** A global concurrency limit (slots shared by every flow run on this server), created when missing. */
  async ensureConcurrencyLimit(name: string, limit: number): Promise<void> {
    const res = await fetch(`${this.apiUrl}/v2/concurrency_limits/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, limit, active: true }) });
    // 409: it exists already; it is the lab's, so it has the lab's limit.
    if (!res.ok && res.status !== 409) throw new Error(`Prefect concurrency limit ${name}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  }

  async taskRunStates(taskRunId: string): Promise<StateRecord[]> {
    const res = await fetch(`${this.apiUrl}/task_run_states/?task_run_id=${encodeURIComponent(taskRunId)}`);
    if (!res.ok) throw new Error(`Prefect task_run_states: HTTP ${res.status}`);
    const states = (await res.json()) as StateRecord[];
    return states.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  }
}

/** Prefect's server from the lab venv (with its services: the task run recorder turns the flows' events into task runs) (the same package as the flows), with its SQLite database in the service folder. */
async function localPrefectCommand(ctx: LocalProcessContext) {
  const python = await ctx.venvPython?.();
  if (!python) throw new LabError("Prefect's server runs from the lab's Python venv, and this lab has none.", 'Add prefect to the lab\'s requirements.txt.');
  const prefect = path.join(path.dirname(python), 'prefect');
  if (!fs.existsSync(prefect)) throw new LabError(`No prefect in the lab venv (${path.dirname(python)}).`, '`lab up` installs the pinned requirements: run it again.');
  fs.mkdirSync(ctx.dir, { recursive: true });
  return { command: prefect, args: ['server', 'start', '--host', '127.0.0.1', '--port', String(ctx.port), '--no-ui'], env: { PREFECT_HOME: path.join(ctx.dir, 'home'), ...ENV_OFFLINE } };
}

export const prefectService = defineService({
  name: 'prefect',
  role: 'orchestrator',
  containerPort: PREFECT_PORT,
  localImages: { 'prefecthq/prefect:3.9.1-python3.11': 'prefect' },
  fromCompose: (at): PrefectConnection => ({ apiUrl: `http://${at.host}:${at.port}/api` }),
  local: {
    port: LOCAL_PREFECT_PORT,
    readyWithinMs: PREFECT_READY_WITHIN_MS,
    prepare: async () => undefined,
    command: localPrefectCommand,
    connection: (port): PrefectConnection => ({ apiUrl: `http://127.0.0.1:${port}/api` }),
  },
  probe: probePrefect,
  where: (c) => c.apiUrl,
  start: (c) => new StartedPrefect(c),
});
