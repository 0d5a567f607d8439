import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createClient, type RedisClientType } from 'redis';
import { z } from 'zod';
import { LabError } from '../errors.js';
import { defineService } from './service.js';

export const REDIS_PORT = 6379;
/** The local redis-server's port on 127.0.0.1. */
export const LOCAL_REDIS_PORT = 46379;

export interface RedisConnection {
  host: string;
  port: number;
  password?: string;
  /** On a shared server: the learner's own logical database, used for everything. */
  ownDatabase?: number;
}

function connect(conn: RedisConnection): RedisClientType {
  return createClient({ socket: { host: conn.host, port: conn.port, connectTimeout: 3_000, reconnectStrategy: false }, password: conn.password }) as RedisClientType;
}

/** Ready when the server answers PING with PONG. */
export async function probeRedis(conn: RedisConnection): Promise<void> {
  const client = connect(conn);
  client.on('error', () => undefined); // a refused connection is reported by connect() itself
  try {
    await client.connect();
    const pong = await client.ping();
    if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
  } finally {
    if (client.isOpen) await client.quit().catch(() => undefined);
  }
}

export class StartedRedis {
  constructor(readonly connection: RedisConnection) {}

  /** A connected client; the caller quits it. */
  /** Whether the server still answers PING. */
  async answers(): Promise<boolean> {
    return probeRedis(this.connection).then(
      () => true,
      () => false,
    );
  }

  /**
   * The logical database for a use: on a stack of one's own, `lab detect` uses 0 and the grader 1
   * (seed) and 2 (hidden seed); on a shared server, every use is in the learner's own database (the
   * one in their URL), which the grader empties between runs.
   */
  database(use: 'detect' | 'seed' | 'hidden'): number {
    return this.connection.ownDatabase ?? { detect: 0, seed: 1, hidden: 2 }[use];
  }

  async client(opts: { database?: number } = {}): Promise<RedisClientType> {
    const client = createClient({ socket: { host: this.connection.host, port: this.connection.port, connectTimeout: 3_000 }, password: this.connection.password, database: opts.database }) as RedisClientType;
    client.on('error', () => undefined); // a failed command rejects on its own
    await client.connect();
    return client;
  }

  /** A redis:// URL for another process (a detector), on one logical database; it holds the password, so never print it. */
  url(database = 0): string {
    const auth = this.connection.password ? `:${encodeURIComponent(this.connection.password)}@` : '';
    return `redis://${auth}${this.connection.host}:${this.connection.port}/${database}`;
  }
}

const RemoteSection = z.object({ url: z.string() }).strict();

export const redisService = defineService({
  name: 'redis',
  role: 'cache',
  containerPort: REDIS_PORT,
  localImages: { 'redis:7.4.1-bookworm': 'redis' },
  local: {
    port: LOCAL_REDIS_PORT,
    readyWithinMs: 15_000,
    async prepare(ctx) {
      if (spawnSync('redis-server', ['--version']).error) throw new LabError('redis-server is not installed: the local runtime runs the feature store with it.', 'Install it: `apt-get install redis-server` (or use `--runtime docker`).');
      fs.mkdirSync(ctx.dir, { recursive: true });
    },
    // In memory only: the feature store is rebuilt from the stream, as a real one would be.
    command: (ctx) => ({ command: 'redis-server', args: ['--bind', '127.0.0.1', '--port', String(ctx.port), '--save', '', '--appendonly', 'no', '--dir', ctx.dir, '--daemonize', 'no'] }),
    connection: (port): RedisConnection => ({ host: '127.0.0.1', port }),
  },
  fromCompose: (at): RedisConnection => ({ host: at.host, port: at.port, password: at.variable('LAB_REDIS_PASSWORD') || undefined }),
  remote: {
    key: 'redis',
    schema: RemoteSection,
    location: ['LAB_REMOTE_REDIS_URL'],
    secrets: ['LAB_REMOTE_REDIS_PASSWORD'],
    fromEnv: (env, file) => (env.LAB_REMOTE_REDIS_URL ? { url: env.LAB_REMOTE_REDIS_URL } : file),
    urls: (s) => [{ url: s.url, secret: 'LAB_REMOTE_REDIS_PASSWORD' }],
    connect(section, env): RedisConnection {
      const url = new URL(section.url);
      // A shared server: the database in the URL is the learner's namespace (redis://host:6379/5).
      const ownDatabase = Number(url.pathname.replace(/^\//, '') || 0);
      return { host: url.hostname, port: Number(url.port || REDIS_PORT), password: env.LAB_REMOTE_REDIS_PASSWORD, ownDatabase };
    },
  },
  probe: probeRedis,
  where: (c) => `${c.host}:${c.port}${c.ownDatabase !== undefined ? `/${c.ownDatabase}` : ''}`,
  start: (c) => new StartedRedis(c),
});
