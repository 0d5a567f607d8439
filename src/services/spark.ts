import { z } from 'zod';
import { probeTcp } from './probes.js';
import { defineService } from './service.js';

export const SPARK_CONNECT_PORT = 15002;
/** The driver's web UI, whose REST API lists each SQL execution with its plan. */
export const SPARK_UI_PORT = 4040;

export interface SparkConnectConnection {
  /** sc://host:port, as a Spark Connect client takes it. */
  url: string;
  /** http://host:port of the driver's UI, when published: where a grader reads the executed plans. */
  uiUrl?: string;
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

  get uiUrl(): string | undefined {
    return this.connection.uiUrl;
  }
}

const RemoteSection = z.object({ url: z.string(), uiUrl: z.string().optional() }).strict();

export const sparkService = defineService({
  name: 'spark',
  role: 'spark',
  containerPort: SPARK_CONNECT_PORT,
  localImages: { 'apache/spark:3.5.5-scala2.12-java17-python3-ubuntu': 'spark' },
  fromCompose: (at): SparkConnectConnection => {
    const ui = at.published(SPARK_UI_PORT);
    return { url: `sc://${at.host}:${at.port}`, ...(ui ? { uiUrl: `http://${ui.host}:${ui.port}` } : {}) };
  },
  remote: {
    key: 'spark',
    schema: RemoteSection,
    location: ['LAB_REMOTE_SPARK_URL', 'LAB_REMOTE_SPARK_UI_URL'],
    secrets: [],
    fromEnv: (env, file) => (env.LAB_REMOTE_SPARK_URL ? { url: env.LAB_REMOTE_SPARK_URL, ...(env.LAB_REMOTE_SPARK_UI_URL ? { uiUrl: env.LAB_REMOTE_SPARK_UI_URL } : {}) } : file),
    connect: (section): SparkConnectConnection => ({ url: section.url, ...(section.uiUrl ? { uiUrl: section.uiUrl } : {}) }),
  },
  probe: probeSparkConnect,
  where: (c) => c.url,
  start: (c) => new StartedSparkConnect(c),
});
