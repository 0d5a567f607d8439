import { createClient, type RedisClientType } from 'redis';

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
