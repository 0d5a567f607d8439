import { z } from 'zod';
import { defineService } from './service.js';

export const WEAVIATE_PORT = 8080;
/** The gRPC port the server also opens (the compose file publishes it on 127.0.0.1 only). */
export const WEAVIATE_GRPC_PORT = 50051;

export interface WeaviateConnection {
  url: string;
  apiKey?: string;
  /** On a shared cluster: the learner's collections start with this (a class name: letters, digits, _). */
  collectionPrefix?: string;
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

  /** A collection (Weaviate class) name of the learner's own: capitalised, letters, digits and _. */
  collectionName(local: string): string {
    const name = `${this.connection.collectionPrefix ?? ''}Lab_${local}`.replace(/[^A-Za-z0-9_]/g, '_');
    return name[0]!.toUpperCase() + name.slice(1);
  }

  /** Whether it still answers its readiness endpoint now (a check distinguishes "Weaviate went away" from a wrong pipeline). */
  async answers(): Promise<boolean> {
    return probeWeaviate(this.connection).then(
      () => true,
      () => false,
    );
  }

  /** The collections it holds, by name. */
  async collections(): Promise<string[]> {
    const res = await fetch(new URL('/v1/schema', this.connection.url), { headers: this.headers, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`GET /v1/schema answered ${res.status}`);
    const schema = (await res.json()) as { classes?: Array<{ class: string }> };
    return (schema.classes ?? []).map((c) => c.class);
  }

  /** Removes one collection and its objects. */
  async dropCollection(name: string): Promise<void> {
    const res = await fetch(new URL(`/v1/schema/${name}`, this.connection.url), { method: 'DELETE', headers: this.headers, signal: AbortSignal.timeout(30_000) });
    if (!res.ok && res.status !== 404) throw new Error(`DELETE /v1/schema/${name} answered ${res.status}`);
  }
}

const RemoteSection = z.object({ url: z.string() }).strict();

export const weaviateService = defineService({
  name: 'weaviate',
  role: 'vectors',
  containerPort: WEAVIATE_PORT,
  localImages: { 'semitechnologies/weaviate:1.35.2': 'weaviate' },
  fromCompose: (at): WeaviateConnection => ({ url: `http://${at.host}:${at.port}`, apiKey: at.variable('LAB_WEAVIATE_API_KEY') || undefined }),
  remote: {
    key: 'weaviate',
    schema: RemoteSection,
    location: ['LAB_REMOTE_WEAVIATE_URL'],
    secrets: ['LAB_REMOTE_WEAVIATE_API_KEY'],
    fromEnv: (env, file) => (env.LAB_REMOTE_WEAVIATE_URL ? { url: env.LAB_REMOTE_WEAVIATE_URL } : file),
    urls: (s) => [{ url: s.url, secret: 'LAB_REMOTE_WEAVIATE_API_KEY' }],
    connect: (section, env, names): WeaviateConnection => ({ url: section.url, apiKey: env.LAB_REMOTE_WEAVIATE_API_KEY, collectionPrefix: names.topicPrefix.replace(/[^A-Za-z0-9]/g, '_') }),
    clean: async (client, names) => {
      const prefix = client.collectionName('').replace(/Lab_$/, '');
      const mine = (await client.collections()).filter((c) => c.startsWith(prefix) && names.topicPrefix !== '');
      for (const c of mine) await client.dropCollection(c);
      return mine.length ? [`${mine.length} Weaviate collection${mine.length === 1 ? '' : 's'} ${prefix}*`] : [];
    },
  },
  probe: probeWeaviate,
  where: (c) => c.url,
  start: (c) => new StartedWeaviate(c),
});
