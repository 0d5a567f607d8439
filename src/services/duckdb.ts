import fs from 'node:fs';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { LabError } from '../errors.js';

/** Memory a grading session may use before DuckDB spills or fails the query. */
export const DEFAULT_MEMORY_LIMIT = '4GB';
/** Everything runs in UTC so timestamps print the same on every machine. */
export const SESSION_TIME_ZONE = 'UTC';

export interface QueryResult {
  columns: string[];
  types: string[];
  rows: unknown[][];
}

export class QueryTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`stopped after ${formatSeconds(ms)}: the query was still running`);
  }
}

export function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** A DuckDB error as the learner should read it: `file:line: message`, with a pointer for the usual causes. */
export function duckdbErrorMessage(rel: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const line = /LINE (\d+):/.exec(message)?.[1];
  const lines = message.split('\n').filter((l) => l.trim() && !/^LINE \d+:/.test(l) && !/^\s*\^\s*$/.test(l));
  const candidates = lines.find((l) => /^Candidate/.test(l));
  let text = message.split('\n')[0]!.trim().replace(/^Failed to extract statements: /, '');
  if (/Out of Memory/i.test(text)) text += ' (the query needs more memory than the lab allows: look for a join that multiplies rows)';
  return `${rel}${line ? `:${line}` : ''}: ${text}${candidates ? ` (${candidates})` : ''}`;
}

/** One connection to DuckDB, with the few operations the lab needs. */
export class SqlSession {
  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async inMemory(opts: { memoryLimit?: string; threads?: number } = {}): Promise<SqlSession> {
    const instance = await DuckDBInstance.create(':memory:');
    const session = new SqlSession(instance, await instance.connect());
    await session.configure(opts);
    return session;
  }

  async configure(opts: { memoryLimit?: string; threads?: number } = {}): Promise<void> {
    await this.run(`SET TimeZone = '${SESSION_TIME_ZONE}'`);
    await this.run(`SET memory_limit = '${opts.memoryLimit ?? DEFAULT_MEMORY_LIMIT}'`);
    if (opts.threads) await this.run(`SET threads = ${opts.threads}`);
  }

  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** Runs `sql`, interrupting it when it is still running after `ms`. */
  async runWithTimeout(sql: string, ms: number): Promise<void> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.connection.interrupt();
    }, ms);
    try {
      await this.connection.run(sql);
    } catch (err) {
      if (timedOut) throw new QueryTimeoutError(ms);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async query(sql: string): Promise<QueryResult> {
    const reader = await this.connection.runAndReadAll(sql);
    return {
      columns: reader.columnNames(),
      types: reader.columnTypes().map((t) => t.toString()),
      rows: reader.getRowsJS() as unknown[][],
    };
  }

  /** Columns, types and rows with JSON-friendly values (BIGINT, DECIMAL and dates as text), for display. */
  async queryJson(sql: string): Promise<{ columns: string[]; types: string[]; rows: unknown[][] }> {
    const reader = await this.connection.runAndReadAll(sql);
    return { columns: reader.columnNames(), types: reader.columnTypes().map((t) => t.toString()), rows: reader.getRowsJson() as unknown[][] };
  }

  /** Rows as objects with JSON-friendly values (BIGINT and DECIMAL as strings), for messages. */
  async queryObjects(sql: string): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  }

  async scalar<T = unknown>(sql: string): Promise<T> {
    const { rows } = await this.query(sql);
    return rows[0]?.[0] as T;
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** A DuckDB database file: the `sql` role of the local runtime. */
export class DuckDbDatabase {
  constructor(readonly file: string) {}

  /** Opens the file (creating it when asked) and proves it answers `SELECT 1`. */
  async start(opts: { create?: boolean; readOnly?: boolean } = {}): Promise<StartedDuckDb> {
    if (!opts.create && !fs.existsSync(this.file)) {
      throw new LabError(`The lab database ${this.file} does not exist.`, 'Run `lab up <lab>` to seed it.');
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const started = new StartedDuckDb(this.file, opts.readOnly ?? false);
    await started.probe();
    return started;
  }
}

export class StartedDuckDb {
  constructor(
    readonly file: string,
    private readonly readOnly: boolean,
  ) {}

  /** A protocol-level readiness probe: the engine answers a query. */
  async probe(): Promise<void> {
    const session = await this.session({ write: !this.readOnly });
    try {
      const one = await session.scalar<number>('SELECT 1');
      if (one !== 1) throw new LabError(`DuckDB at ${this.file} did not answer SELECT 1.`);
    } finally {
      session.close();
    }
  }

  /** An in-memory session with this database attached as the default catalog. */
  async session(opts: { memoryLimit?: string; write?: boolean } = {}): Promise<SqlSession> {
    const session = await SqlSession.inMemory(opts);
    const mode = opts.write && !this.readOnly ? '' : ' (READ_ONLY)';
    try {
      await session.run(`ATTACH '${this.file.replace(/'/g, "''")}' AS lab${mode}`);
    } catch (err) {
      session.close();
      const message = err instanceof Error ? err.message : String(err);
      if (/lock/i.test(message)) {
        throw new LabError(`The lab database ${this.file} is in use by another lab command.`, 'Wait for it to finish (or stop `lab watch`) and try again.');
      }
      throw new LabError(`Could not open the lab database ${this.file}: ${message.split('\n')[0]}`, 'Run `lab reset <lab>` to seed it again.');
    }
    await session.run('USE lab');
    return session;
  }
}
