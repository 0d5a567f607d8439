import { BasicAuth, Trino } from 'trino-client';

export const TRINO_PORT = 8080;
export const TRINO_USER = 'lab';
/** The Iceberg catalog every month4 stack configures (compose/trino/catalog/iceberg.properties). */
export const ICEBERG_CATALOG = 'iceberg';

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
