import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LabError } from '../../errors.js';

/**
 * Endpoints of services someone else runs (a team's Trino, a shared Kafka), from
 * `lab.config.yaml` (or the file LAB_CONFIG names) and LAB_REMOTE_* variables. Credentials
 * come from the environment only: the schema has no field for them, and a URL carrying a
 * password is refused, so none is ever written to disk or printed.
 */
const RemoteSchema = z
  .object({
    namespace: z.string().optional(),
    postgres: z.object({ url: z.string() }).strict().optional(),
    s3: z.object({ endpoint: z.string(), bucket: z.string(), region: z.string().optional() }).strict().optional(),
    kafka: z.object({ brokers: z.array(z.string()).min(1) }).strict().optional(),
    trino: z.object({ url: z.string(), user: z.string().optional(), catalog: z.string().optional() }).strict().optional(),
    spark: z.object({ url: z.string() }).strict().optional(),
    weaviate: z.object({ url: z.string() }).strict().optional(),
    redis: z.object({ url: z.string() }).strict().optional(),
  })
  .strict();

const FileSchema = z.object({ remote: RemoteSchema.optional() }).passthrough();

export type RemoteConfig = z.infer<typeof RemoteSchema> & { namespace: string; source: string };

export type Endpoint = 'postgres' | 's3' | 'kafka' | 'trino' | 'spark' | 'weaviate' | 'redis';

/** Which endpoint serves which role of a lab's stack. */
export const ENDPOINT_FOR_ROLE: Record<string, Endpoint | undefined> = {
  oltp: 'postgres',
  objectStore: 's3',
  stream: 'kafka',
  sql: 'trino',
  spark: 'spark',
  vectors: 'weaviate',
  cache: 'redis',
};

/** Environment variables for each endpoint: where it is (may also be in the file) and its secrets (environment only). */
export const ENDPOINT_ENV: Record<Endpoint, { location: string[]; secrets: string[] }> = {
  postgres: { location: ['LAB_REMOTE_POSTGRES_URL'], secrets: ['LAB_REMOTE_POSTGRES_PASSWORD'] },
  s3: { location: ['LAB_REMOTE_S3_ENDPOINT', 'LAB_REMOTE_S3_BUCKET'], secrets: ['LAB_REMOTE_S3_ACCESS_KEY', 'LAB_REMOTE_S3_SECRET_KEY'] },
  kafka: { location: ['LAB_REMOTE_KAFKA_BROKERS'], secrets: [] },
  trino: { location: ['LAB_REMOTE_TRINO_URL'], secrets: ['LAB_REMOTE_TRINO_PASSWORD'] },
  spark: { location: ['LAB_REMOTE_SPARK_URL'], secrets: [] },
  weaviate: { location: ['LAB_REMOTE_WEAVIATE_URL'], secrets: ['LAB_REMOTE_WEAVIATE_API_KEY'] },
  redis: { location: ['LAB_REMOTE_REDIS_URL'], secrets: ['LAB_REMOTE_REDIS_PASSWORD'] },
};

/** A learner's own corner of a shared cluster: a Postgres schema, a bucket prefix, a topic prefix. */
export function sanitizeNamespace(raw: string): string {
  const clean = raw.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^[^a-z]+/, '').slice(0, 40);
  if (!clean) throw new LabError(`The namespace '${raw}' has no usable characters.`, 'Use letters, digits and _ (e.g. LAB_REMOTE_NAMESPACE=alice).');
  return clean;
}

function refuseSecretInUrl(name: string, url: string, variable: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LabError(`The ${name} URL '${url}' is not a URL.`, `Write it like ${name === 'postgres' ? 'postgres://user@host:5432/db' : 'http://host:port'}.`);
  }
  if (parsed.password) {
    throw new LabError(`The ${name} URL carries a password; credentials never go in a config file or on a command line.`, `Remove it from the URL and set ${variable} in the environment instead.`);
  }
}

export function loadRemoteConfig(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): RemoteConfig {
  const file = env.LAB_CONFIG ? path.resolve(cwd, env.LAB_CONFIG) : path.join(cwd, 'lab.config.yaml');
  let fromFile: z.infer<typeof RemoteSchema> = {};
  let source = 'environment';
  if (fs.existsSync(file)) {
    let raw: unknown;
    try {
      raw = parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new LabError(`${path.relative(cwd, file) || file} is not valid YAML: ${(err as Error).message.split('\n')[0]}.`, 'Fix the file (see the README, "Remote runtime").');
    }
    const parsed = FileSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.join('.');
      const secretHint = /password|secret|key|token/i.test(JSON.stringify(issue)) ? ' Credentials are read from environment variables (LAB_REMOTE_*), never from this file.' : '';
      throw new LabError(`${path.relative(cwd, file) || file}: ${where || 'top level'}: ${issue.message}.`, `Allowed under remote: namespace, postgres.url, s3.{endpoint,bucket,region}, kafka.brokers, trino.{url,user,catalog}, spark.url, weaviate.url, redis.url.${secretHint}`);
    }
    fromFile = parsed.data.remote ?? {};
    source = path.relative(cwd, file) || file;
  } else if (env.LAB_CONFIG) {
    throw new LabError(`LAB_CONFIG points at ${file}, which does not exist.`, 'Fix the path, or unset LAB_CONFIG to use ./lab.config.yaml.');
  }
  const config: z.infer<typeof RemoteSchema> = { ...fromFile };
  if (env.LAB_REMOTE_POSTGRES_URL) config.postgres = { url: env.LAB_REMOTE_POSTGRES_URL };
  if (env.LAB_REMOTE_S3_ENDPOINT || env.LAB_REMOTE_S3_BUCKET) {
    config.s3 = { ...config.s3, endpoint: env.LAB_REMOTE_S3_ENDPOINT ?? config.s3?.endpoint ?? '', bucket: env.LAB_REMOTE_S3_BUCKET ?? config.s3?.bucket ?? '' };
  }
  if (env.LAB_REMOTE_KAFKA_BROKERS) config.kafka = { brokers: env.LAB_REMOTE_KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean) };
  if (env.LAB_REMOTE_TRINO_URL) config.trino = { ...config.trino, url: env.LAB_REMOTE_TRINO_URL };
  if (env.LAB_REMOTE_SPARK_URL) config.spark = { url: env.LAB_REMOTE_SPARK_URL };
  if (env.LAB_REMOTE_WEAVIATE_URL) config.weaviate = { url: env.LAB_REMOTE_WEAVIATE_URL };
  if (env.LAB_REMOTE_REDIS_URL) config.redis = { url: env.LAB_REMOTE_REDIS_URL };
  if (config.postgres) refuseSecretInUrl('postgres', config.postgres.url, 'LAB_REMOTE_POSTGRES_PASSWORD');
  if (config.trino) refuseSecretInUrl('trino', config.trino.url, 'LAB_REMOTE_TRINO_PASSWORD');
  if (config.weaviate) refuseSecretInUrl('weaviate', config.weaviate.url, 'LAB_REMOTE_WEAVIATE_API_KEY');
  if (config.redis) refuseSecretInUrl('redis', config.redis.url, 'LAB_REMOTE_REDIS_PASSWORD');
  const namespace = sanitizeNamespace(env.LAB_REMOTE_NAMESPACE ?? config.namespace ?? os.userInfo().username);
  return { ...config, namespace, source };
}

/** Names inside the learner's namespace, so two learners on one cluster never meet. */
export function namespaceNames(namespace: string, lab: string) {
  return {
    /** Postgres schema for the lab's source tables. */
    schema: `lab_${namespace}_${lab}`,
    /** Object key prefix inside the shared bucket. */
    s3Prefix: `${namespace}/${lab}/`,
    /** Kafka topic prefix. */
    topicPrefix: `${namespace}.${lab}.`,
  };
}
