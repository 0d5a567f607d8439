import { z } from 'zod';
import { defineService } from './service.js';

export const WEAVIATE_PORT = 8080;

export interface WeaviateConnection {
  url: string;
  apiKey?: string;
}

/** Ready when Weaviate's own readiness endpoint says so (it answers HTTP before its shards load). */
export async function probeWeaviate(conn: WeaviateConnection): Promise<void> {
  const res = await fetch(new URL('/v1/.well-known/ready', conn.url), { signal: AbortSignal.timeout(3_000) });
  if (!res.ok) throw new Error(`ready endpoint answered ${res.status}`);
}

export class StartedWeaviate {
  constructor(readonly connection: WeaviateConnection) {}

  /** The REST API's request headers: the lab's generated API key. */
  get headers(): Record<string, string> {
    return this.connection.apiKey ? { Authorization: `Bearer ${this.connection.apiKey}` } : {};
  }
}

const RemoteSection = z.object({ url: z.string() }).strict();

export const weaviateService = defineService({
  name: 'weaviate',
  role: 'vectors',
  containerPort: WEAVIATE_PORT,
  fromCompose: (at): WeaviateConnection => ({ url: `http://${at.host}:${at.port}`, apiKey: at.variable('LAB_WEAVIATE_API_KEY') || undefined }),
  remote: {
    key: 'weaviate',
    schema: RemoteSection,
    location: ['LAB_REMOTE_WEAVIATE_URL'],
    secrets: ['LAB_REMOTE_WEAVIATE_API_KEY'],
    fromEnv: (env, file) => (env.LAB_REMOTE_WEAVIATE_URL ? { url: env.LAB_REMOTE_WEAVIATE_URL } : file),
    urls: (s) => [{ url: s.url, secret: 'LAB_REMOTE_WEAVIATE_API_KEY' }],
    connect: (section, env): WeaviateConnection => ({ url: section.url, apiKey: env.LAB_REMOTE_WEAVIATE_API_KEY }),
  },
  probe: probeWeaviate,
  where: (c) => c.url,
  start: (c) => new StartedWeaviate(c),
});
