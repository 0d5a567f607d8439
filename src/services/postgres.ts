import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

export const POSTGRES_PORT = 5432;
export const POSTGRES_USER = 'lab';

export interface PostgresConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Ready when the server answers `SELECT 1` over its own protocol. */
export async function probePostgres(conn: PostgresConnection): Promise<void> {
  const client = new pg.Client({ ...conn, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A Postgres that answered its probe: clients and bulk COPY in and out. */
export class StartedPostgres {
  constructor(readonly connection: PostgresConnection) {}

  /** The URL without its password, safe to print. */
  get displayUrl(): string {
    const c = this.connection;
    return `postgres://${c.user}@${c.host}:${c.port}/${c.database}`;
  }

  async withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client(this.connection);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** Bulk load: a CSV file (with header) into a table with COPY … FROM STDIN, the fast path. */
  async copyIn(client: pg.Client, table: string, csvFile: string): Promise<void> {
    await pipeline(fs.createReadStream(csvFile), client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true)`)));
  }

  /** Bulk extract: a query's rows into a CSV file (with header) with COPY … TO STDOUT. */
  async copyOut(client: pg.Client, query: string, csvFile: string): Promise<void> {
    await pipeline(client.query(copyTo(`COPY (${query}) TO STDOUT WITH (FORMAT csv, HEADER true)`)), fs.createWriteStream(csvFile));
  }
}
