import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { z } from 'zod';
import { quoteIdentifier } from '../sql.js';
import { defineService } from './service.js';

export const POSTGRES_PORT = 5432;
export const POSTGRES_USER = 'lab';
const REMOTE_DEFAULT_PORT = 5432;

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

const RemoteSection = z.object({ url: z.string() }).strict();

export const postgresService = defineService({
  name: 'postgres',
  role: 'oltp',
  containerPort: POSTGRES_PORT,
  localImages: { 'postgres:16.4-bookworm': 'postgres' },
  fromCompose: (at): PostgresConnection => ({ host: at.host, port: at.port, user: POSTGRES_USER, password: at.variable('LAB_POSTGRES_PASSWORD'), database: at.environment.POSTGRES_DB ?? POSTGRES_USER }),
  remote: {
    key: 'postgres',
    schema: RemoteSection,
    location: ['LAB_REMOTE_POSTGRES_URL'],
    secrets: ['LAB_REMOTE_POSTGRES_PASSWORD'],
    fromEnv: (env, file) => (env.LAB_REMOTE_POSTGRES_URL ? { url: env.LAB_REMOTE_POSTGRES_URL } : file),
    urls: (s) => [{ url: s.url, secret: 'LAB_REMOTE_POSTGRES_PASSWORD' }],
    connect(section, env): PostgresConnection {
      const url = new URL(section.url);
      return {
        host: url.hostname,
        port: Number(url.port || REMOTE_DEFAULT_PORT),
        user: decodeURIComponent(url.username || env.PGUSER || 'postgres'),
        password: env.LAB_REMOTE_POSTGRES_PASSWORD ?? env.PGPASSWORD ?? '',
        database: decodeURIComponent(url.pathname.replace(/^\//, '') || 'postgres'),
      };
    },
    async clean(postgres, names) {
      return postgres.withClient(async (client) => {
        const r = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [names.schema]);
        if (!r.rowCount) return [];
        await client.query(`DROP SCHEMA ${quoteIdentifier(names.schema)} CASCADE`);
        return [`postgres schema ${names.schema}`];
      });
    },
  },
  probe: probePostgres,
  where: (c) => `${c.user}@${c.host}:${c.port}/${c.database}`,
  start: (c) => new StartedPostgres(c),
});
