import { createClient, type RedisClientType } from 'redis';
import { z } from 'zod';
import { defineService } from './service.js';

export const REDIS_PORT = 6379;

export interface RedisConnection {
  host: string;
  port: number;
  password?: string;
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
  async client(): Promise<RedisClientType> {
    const client = connect(this.connection);
    await client.connect();
    return client;
  }
}

const RemoteSection = z.object({ url: z.string() }).strict();

export const redisService = defineService({
  name: 'redis',
  role: 'cache',
  containerPort: REDIS_PORT,
  localImages: { 'redis:7.4.1-bookworm': 'redis' },
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
      return { host: url.hostname, port: Number(url.port || REDIS_PORT), password: env.LAB_REMOTE_REDIS_PASSWORD };
    },
  },
  probe: probeRedis,
  where: (c) => `${c.host}:${c.port}`,
  start: (c) => new StartedRedis(c),
});
