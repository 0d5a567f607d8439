import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { z } from 'zod';
import { LabError } from '../errors.js';
import { quoteIdentifier } from '../sql.js';
import { defineService, type LocalProcess } from './service.js';

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

/** The local server's default port on 127.0.0.1 (`lab compare` picks a free one). */
export const LOCAL_POSTGRES_PORT = 45432;
const LOCAL_DATA = 'data';

/** The newest Debian PostgreSQL server binaries (/usr/lib/postgresql/<major>/bin), or one on the PATH. */
export function postgresBinDir(): string | undefined {
  const debian = '/usr/lib/postgresql';
  const majors = fs.existsSync(debian) ? fs.readdirSync(debian).filter((v) => fs.existsSync(`${debian}/${v}/bin/postgres`)).sort((a, b) => Number(b) - Number(a)) : [];
  if (majors.length) return `${debian}/${majors[0]}/bin`;
  const onPath = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  return onPath.status === 0 && fs.existsSync(`${onPath.stdout.trim()}/postgres`) ? onPath.stdout.trim() : undefined;
}

/** initdb and postgres refuse to run as root: as root, they run as Debian's `postgres` user. */
function asServerUser(command: string, args: string[]): { command: string; args: string[] } {
  return process.getuid?.() === 0 ? { command: 'setpriv', args: ['--reuid=postgres', '--regid=postgres', '--clear-groups', command, ...args] } : { command, args };
}

/**
 * A PostgreSQL server as a local process, from Debian's `postgresql` package: a cluster of its own
 * in the service's folder (trust authentication, loopback only). Not the `local` of the module:
 * month1's local runtime keeps its in-process source; `lab compare` starts this one for its pairs.
 */
export const localPostgresProcess: LocalProcess<PostgresConnection> = {
  port: LOCAL_POSTGRES_PORT,
  readyWithinMs: 30_000,
  async prepare(ctx) {
    const bin = postgresBinDir();
    if (!bin) throw new LabError('No PostgreSQL server is installed here (initdb, postgres).', 'Install it: `apt-get install postgresql`, or give a server of your own: --postgres postgres://user@host:5432/db.');
    fs.mkdirSync(ctx.dir, { recursive: true });
    if (process.getuid?.() === 0) {
      const owner = spawnSync('chown', ['-R', 'postgres:postgres', ctx.dir]);
      if (owner.status !== 0) throw new LabError(`Could not hand ${ctx.dir} to the postgres user (as root, the server runs as that user).`, 'Run as a non-root user, or check that the `postgres` user exists (`apt-get install postgresql` creates it).');
    }
    if (fs.existsSync(path.join(ctx.dir, LOCAL_DATA, 'PG_VERSION'))) return;
    const init = asServerUser(`${bin}/initdb`, ['-D', path.join(ctx.dir, LOCAL_DATA), '-U', POSTGRES_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    const r = spawnSync(init.command, init.args, { encoding: 'utf8' });
    if (r.status !== 0) throw new LabError(`initdb failed: ${(r.stderr || r.stdout || String(r.error)).trim().split('\n').pop()}`, `Delete ${ctx.dir} and try again.`);
  },
  command: (ctx) => asServerUser(`${postgresBinDir()}/postgres`, ['-D', path.join(ctx.dir, LOCAL_DATA), '-p', String(ctx.port), '-h', '127.0.0.1', '-k', ctx.dir]),
  connection: (port): PostgresConnection => ({ host: '127.0.0.1', port, user: POSTGRES_USER, password: '', database: 'postgres' }),
};
