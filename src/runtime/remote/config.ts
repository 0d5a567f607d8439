import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LabError } from '../../errors.js';
import { SERVICES } from '../../services/registry.js';
import type { NamespaceNames } from '../../services/service.js';

/**
 * Endpoints of services someone else runs (a team's Trino, a shared Kafka), from
 * `lab.config.yaml` (or the file LAB_CONFIG names) and LAB_REMOTE_* variables. Each service
 * module says its section and variables. Credentials come from the environment only: no section
 * has a field for them, and a URL carrying a password is refused, so none is ever written or printed.
 */
export interface RemoteConfig {
  namespace: string;
  /** Where the endpoints came from: the file's name, or "environment". */
  source: string;
  /** Each service's section, by its key (postgres, s3, kafka, trino, spark, weaviate, redis). */
  sections: Record<string, unknown>;
}

const remoteModules = () => SERVICES.filter((s) => s.remote);

function remoteSchema() {
  const sections = Object.fromEntries(remoteModules().map((s) => [s.remote!.key, (s.remote!.schema as z.ZodType).optional()]));
  return z.object({ namespace: z.string().optional(), ...sections }).strict();
}

/** The fields a section allows, for the hint: s3.{endpoint,bucket,region}. */
function allowedFields(): string {
  const fields = remoteModules().map((s) => {
    const shape = (s.remote!.schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
    const keys = Object.keys(shape);
    return keys.length === 1 ? `${s.remote!.key}.${keys[0]}` : `${s.remote!.key}.{${keys.join(',')}}`;
  });
  return ['namespace', ...fields].join(', ');
}

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
  let fromFile: Record<string, unknown> = {};
  let source = 'environment';
  if (fs.existsSync(file)) {
    let raw: unknown;
    try {
      raw = parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new LabError(`${path.relative(cwd, file) || file} is not valid YAML: ${(err as Error).message.split('\n')[0]}.`, 'Fix the file (see the README, "Remote runtime").');
    }
    const parsed = z.object({ remote: remoteSchema().optional() }).passthrough().safeParse(raw ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.join('.');
      const secretHint = /password|secret|key|token/i.test(JSON.stringify(issue)) ? ' Credentials are read from environment variables (LAB_REMOTE_*), never from this file.' : '';
      throw new LabError(`${path.relative(cwd, file) || file}: ${where || 'top level'}: ${issue.message}.`, `Allowed under remote: ${allowedFields()}.${secretHint}`);
    }
    fromFile = (parsed.data.remote ?? {}) as Record<string, unknown>;
    source = path.relative(cwd, file) || file;
  } else if (env.LAB_CONFIG) {
    throw new LabError(`LAB_CONFIG points at ${file}, which does not exist.`, 'Fix the path, or unset LAB_CONFIG to use ./lab.config.yaml.');
  }
  const sections: Record<string, unknown> = {};
  for (const module of remoteModules()) {
    const remote = module.remote!;
    const section = remote.fromEnv(env, fromFile[remote.key]);
    if (section === undefined) continue;
    for (const { url, secret } of remote.urls?.(section) ?? []) refuseSecretInUrl(remote.key, url, secret);
    sections[remote.key] = section;
  }
  const namespace = sanitizeNamespace(env.LAB_REMOTE_NAMESPACE ?? (fromFile.namespace as string | undefined) ?? os.userInfo().username);
  return { namespace, source, sections };
}

/** Names inside the learner's namespace, so two learners on one cluster never meet. */
export function namespaceNames(namespace: string, lab: string): NamespaceNames {
  return {
    /** Postgres schema for the lab's source tables. */
    schema: `lab_${namespace}_${lab}`,
    /** Object key prefix inside the shared bucket. */
    s3Prefix: `${namespace}/${lab}/`,
    /** Kafka topic prefix. */
    topicPrefix: `${namespace}.${lab}.`,
  };
}
