import { z } from 'zod';
import { probeTcp } from './probes.js';
import { defineService } from './service.js';

export const SPARK_CONNECT_PORT = 15002;

export interface SparkConnectConnection {
  /** sc://host:port, as a Spark Connect client takes it. */
  url: string;
}

function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url.replace(/^sc:/, 'http:'));
  return { host: u.hostname, port: Number(u.port || SPARK_CONNECT_PORT) };
}

/** Spark Connect speaks gRPC: ready when its port accepts a connection. */
export function probeSparkConnect(conn: SparkConnectConnection): Promise<void> {
  const { host, port } = hostPort(conn.url);
  return probeTcp(host, port);
}

export class StartedSparkConnect {
  constructor(readonly connection: SparkConnectConnection) {}

  get url(): string {
    return this.connection.url;
  }
}

const RemoteSection = z.object({ url: z.string() }).strict();

export const sparkService = defineService({
  name: 'spark',
  role: 'spark',
  containerPort: SPARK_CONNECT_PORT,
  localImages: { 'apache/spark:3.5.5-scala2.12-java17-python3-ubuntu': 'spark' },
  fromCompose: (at): SparkConnectConnection => ({ url: `sc://${at.host}:${at.port}` }),
  remote: {
    key: 'spark',
    schema: RemoteSection,
    location: ['LAB_REMOTE_SPARK_URL'],
    secrets: [],
    fromEnv: (env, file) => (env.LAB_REMOTE_SPARK_URL ? { url: env.LAB_REMOTE_SPARK_URL } : file),
    connect: (section): SparkConnectConnection => ({ url: section.url }),
  },
  probe: probeSparkConnect,
  where: (c) => c.url,
  start: (c) => new StartedSparkConnect(c),
});
