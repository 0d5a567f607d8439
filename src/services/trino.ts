import fs from 'node:fs';
import path from 'node:path';
import { BasicAuth, Trino } from 'trino-client';
import { z } from 'zod';
import { quoteIdentifier, trimStatement } from '../sql.js';
import type { StartedS3 } from './s3.js';
import { defineService } from './service.js';

export const TRINO_PORT = 8080;
export const TRINO_USER = 'lab';
/** The Iceberg catalog every lakehouse stack configures (compose/trino/catalog/iceberg.properties). */
export const ICEBERG_CATALOG = 'iceberg';
/** A statement on Trino (a coordinator, HTTP polling, files into an object store) may take this many times DuckDB's limit. */
export const SLOWER_THAN_DUCKDB = 3;

export interface TrinoConnection {
  server: string;
  user: string;
  password?: string;
  catalog?: string;
  schema?: string;
  /** Session properties for every statement, e.g. query_max_run_time. */
  session?: Record<string, string>;
}

export interface TrinoResult {
  columns: string[];
  types: string[];
  rows: unknown[][];
}

/** A failed statement, with where Trino says it failed (1-based line and column). */
export class TrinoQueryError extends Error {
  constructor(
    message: string,
    readonly errorName: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }

  /** The message without Trino's "line L:C: " prefix, for callers that say the place themselves. */
  get reason(): string {
    return this.message.replace(/^line \d+:\d+: /, '');
  }

  /** Trino stopped the statement itself at its query_max_run_time. */
  get timedOut(): boolean {
    return this.errorName === 'EXCEEDED_TIME_LIMIT';
  }
}

function client(conn: TrinoConnection): Trino {
  return Trino.create({
    server: conn.server,
    catalog: conn.catalog,
    schema: conn.schema,
    session: conn.session,
    auth: conn.password ? new BasicAuth(conn.user, conn.password) : new BasicAuth(conn.user),
  });
}

/** Ready when the coordinator runs `SELECT 1` (it answers HTTP long before it accepts queries). */
export async function probeTrino(conn: TrinoConnection): Promise<void> {
  await new StartedTrino(conn).query('SELECT 1');
}

/** A Trino coordinator that answers: statements through trino-client's HTTP protocol. */
export class StartedTrino {
  constructor(readonly connection: TrinoConnection) {}

  /** The same coordinator, with Trino itself stopping each statement after `ms` (nothing keeps running after a grade). */
  withTimeLimit(ms: number): StartedTrino {
    return new StartedTrino({ ...this.connection, session: { ...this.connection.session, query_max_run_time: `${Math.ceil(ms / 1000)}s` } });
  }

  /**
   * Runs one statement and returns its rows; a failure is a TrinoQueryError. With `maxRows`, reading
   * stops there and the rest of the query is cancelled (a peek that keeps the statement's own ORDER BY).
   */
  async query(sql: string, opts: { maxRows?: number } = {}): Promise<TrinoResult> {
    const trino = client(this.connection);
    const result: TrinoResult = { columns: [], types: [], rows: [] };
    for await (const page of await trino.query(sql)) {
      if (page.error) {
        // The protocol sends errorLocation; trino-client's type leaves it out.
        const loc = (page.error as { errorLocation?: { lineNumber: number; columnNumber: number } }).errorLocation;
        throw new TrinoQueryError(page.error.message, page.error.errorName, loc?.lineNumber, loc?.columnNumber);
      }
      if (page.columns && result.columns.length === 0) {
        result.columns = page.columns.map((c) => c.name);
        result.types = page.columns.map((c) => c.type);
      }
      if (page.data) result.rows.push(...page.data);
      if (opts.maxRows !== undefined && result.rows.length >= opts.maxRows) {
        result.rows.length = opts.maxRows;
        await trino.cancel(page.id).catch(() => undefined);
        break;
      }
    }
    return result;
  }

  /** Runs statements one after another (Trino takes one per request). */
  async execute(...statements: string[]): Promise<void> {
    for (const sql of statements) await this.query(sql);
  }

  /** One number from a scalar query, e.g. a count. */
  async scalar(sql: string): Promise<number> {
    const { rows } = await this.query(sql);
    return Number(rows[0]?.[0]);
  }
}

/** An Iceberg table of the catalog: `silver.orders` is iceberg."silver"."orders". */
export interface IcebergTable {
  schema: string;
  table: string;
}

export function icebergName(t: IcebergTable): string {
  return `${ICEBERG_CATALOG}.${quoteIdentifier(t.schema)}.${quoteIdentifier(t.table)}`;
}

/**
 * `CREATE OR REPLACE TABLE … AS <query>`, partitioned by a column when asked. Each run is a new
 * snapshot of the same Iceberg table, so the previous build stays readable (`FOR VERSION AS OF`).
 * The query starts on the statement's second line: see statementLine.
 */
export async function createTableAs(trino: StartedTrino, target: IcebergTable & { sql: string; partitionBy?: string }): Promise<number> {
  const props = target.partitionBy ? ` WITH (partitioning = ARRAY['${target.partitionBy}'])` : '';
  await trino.execute(`CREATE SCHEMA IF NOT EXISTS ${ICEBERG_CATALOG}.${quoteIdentifier(target.schema)}`);
  await trino.execute(`CREATE OR REPLACE TABLE ${icebergName(target)}${props} AS\n${trimStatement(target.sql)}`);
  return trino.scalar(`SELECT count(*) FROM ${icebergName(target)}`);
}

/** The line of the query createTableAs ran where Trino says it failed (line 1 was its CREATE TABLE). */
export function statementLine(err: TrinoQueryError): number | undefined {
  return err.line && err.line > 1 ? err.line - 1 : undefined;
}

/**
 * Copies the data files of an Iceberg table's current snapshot from the object store into `dir`,
 * keeping the partition folders Trino wrote (order_date=2024-01-01/…): the very files. Trino's
 * files hold the partition column too, not only their folder names.
 */
export async function downloadDataFiles(trino: StartedTrino, s3: StartedS3, table: IcebergTable, dir: string): Promise<string[]> {
  const { rows } = await trino.query(`SELECT file_path FROM ${icebergName({ schema: table.schema, table: `${table.table}$files` })}`);
  const store = s3.client();
  const files: string[] = [];
  for (const [filePath] of rows as Array<[string]>) {
    const m = /^s3a?:\/\/([^/]+)\/(.+\/data\/(.+))$/.exec(filePath);
    if (!m) throw new Error(`unexpected data file location ${filePath}`);
    const local = path.join(dir, m[3]!);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    await store.fGetObject(m[1]!, m[2]!, local);
    files.push(local);
  }
  return files;
}

const RemoteSection = z.object({ url: z.string(), user: z.string().optional(), catalog: z.string().optional() }).strict();

export const trinoService = defineService({
  name: 'trino',
  role: 'queryEngine',
  containerPort: TRINO_PORT,
  localImages: { 'trinodb/trino:476': 'trino' },
  fromCompose: (at): TrinoConnection => ({ server: `http://${at.host}:${at.port}`, user: TRINO_USER, catalog: ICEBERG_CATALOG }),
  remote: {
    key: 'trino',
    schema: RemoteSection,
    location: ['LAB_REMOTE_TRINO_URL'],
    secrets: ['LAB_REMOTE_TRINO_PASSWORD'],
    fromEnv: (env, file) => (env.LAB_REMOTE_TRINO_URL ? { ...file, url: env.LAB_REMOTE_TRINO_URL } : file),
    urls: (s) => [{ url: s.url, secret: 'LAB_REMOTE_TRINO_PASSWORD' }],
    connect: (section, env): TrinoConnection => ({ server: section.url, user: section.user ?? TRINO_USER, catalog: section.catalog ?? ICEBERG_CATALOG, password: env.LAB_REMOTE_TRINO_PASSWORD }),
  },
  probe: probeTrino,
  where: (c) => c.server,
  start: (c) => new StartedTrino(c),
});
