import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import type { Scale } from '../../../datasets/ecommerce/generate.js';
import { LabError } from '../../errors.js';
import type { LoadedLab } from '../../lab/load.js';
import type { LabPaths } from '../../paths.js';
import { probeKafka, StartedKafka } from '../../services/kafka.js';
import { probePostgres, StartedPostgres, type PostgresConnection } from '../../services/postgres.js';
import { probeTrino } from '../../services/trino.js';
import { probeTcp, probeWeaviate } from '../../services/probes.js';
import { probeS3Store, StartedS3, type S3Connection } from '../../services/s3.js';
import { probeRedis } from '../../services/redis.js';
import type { Output } from '../../ui/output.js';
import { DatasetStore } from '../dataset-store.js';
import { composeLabs, loadComposeFile } from '../docker/compose-file.js';
import { seedThroughPostgres, sourceHasData } from '../docker/postgres-source.js';
import { attachLabData, ensureHiddenDataset, labDataReports } from '../lab-data.js';
import { startLabPython } from '../lab-python.js';
import { type Runtime, type ServiceReport, type StartedStack, type UpOptions } from '../runtime.js';
import { ENDPOINT_ENV, ENDPOINT_FOR_ROLE, loadRemoteConfig, namespaceNames, type Endpoint, type RemoteConfig } from './config.js';

/** The endpoints a lab needs: the roles of its compose stack (the same services, run by someone else). */
export function endpointsFor(lab: LoadedLab): Endpoint[] {
  const roles = composeLabs().includes(lab.name) ? loadComposeFile(lab.name, { ...process.env, LAB_BIND_ADDRESS: '127.0.0.1' }).services.map((s) => s.role ?? '') : lab.def.roles;
  return [...new Set(roles.map((r) => ENDPOINT_FOR_ROLE[r]).filter((e): e is Endpoint => Boolean(e)))];
}

export function postgresConnection(config: RemoteConfig): PostgresConnection {
  const url = new URL(config.postgres!.url);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || process.env.PGUSER || 'postgres'),
    password: process.env.LAB_REMOTE_POSTGRES_PASSWORD ?? process.env.PGPASSWORD ?? '',
    database: decodeURIComponent(url.pathname.replace(/^\//, '') || 'postgres'),
  };
}

export function s3Connection(config: RemoteConfig): S3Connection {
  const url = new URL(config.s3!.endpoint);
  return {
    endPoint: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    useSSL: url.protocol === 'https:',
    accessKey: process.env.LAB_REMOTE_S3_ACCESS_KEY ?? '',
    secretKey: process.env.LAB_REMOTE_S3_SECRET_KEY ?? '',
    region: config.s3!.region,
  };
}

/** The same protocol-level probes the docker runtime uses, pointed at someone else's services. */
export function probeEndpoint(config: RemoteConfig, endpoint: Endpoint): Promise<void> {
  switch (endpoint) {
    case 'postgres':
      return probePostgres(postgresConnection(config));
    case 'kafka':
      return probeKafka({ brokers: config.kafka!.brokers });
    case 's3':
      return probeS3Store(s3Connection(config));
    case 'trino':
      return probeTrino({ server: config.trino!.url, user: config.trino!.user ?? 'lab', password: process.env.LAB_REMOTE_TRINO_PASSWORD });
    case 'weaviate':
      return probeWeaviate({ url: config.weaviate!.url });
    case 'redis': {
      const url = new URL(config.redis!.url);
      return probeRedis({ host: url.hostname, port: Number(url.port || 6379), password: process.env.LAB_REMOTE_REDIS_PASSWORD });
    }
    case 'spark': {
      const url = new URL(config.spark!.url.replace(/^sc:/, 'http:'));
      return probeTcp(url.hostname, Number(url.port || 15002));
    }
  }
}

function where(config: RemoteConfig, endpoint: Endpoint): string {
  switch (endpoint) {
    case 'postgres': {
      const c = postgresConnection(config);
      return `${c.user}@${c.host}:${c.port}/${c.database}`;
    }
    case 'kafka':
      return config.kafka!.brokers.join(',');
    case 's3':
      return `${config.s3!.endpoint}/${config.s3!.bucket}`;
    default:
      return (config[endpoint] as { url: string }).url;
  }
}

/** Removes the learner's namespace, and only it: their schema, their object prefix, their topics. */
export async function cleanNamespace(config: RemoteConfig, lab: string): Promise<string[]> {
  const names = namespaceNames(config.namespace, lab);
  const removed: string[] = [];
  if (config.postgres) {
    await new StartedPostgres(postgresConnection(config)).withClient(async (client) => {
      const r = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [names.schema]);
      if (r.rowCount) {
        await client.query(`DROP SCHEMA "${names.schema}" CASCADE`);
        removed.push(`postgres schema ${names.schema}`);
      }
    });
  }
  if (config.kafka) {
    const admin = new StartedKafka({ brokers: config.kafka.brokers }).client('lakehouse-lab-cleanup').admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(names.topicPrefix));
      if (topics.length) {
        await admin.deleteTopics({ topics });
        removed.push(`${topics.length} kafka topic${topics.length === 1 ? '' : 's'} ${names.topicPrefix}*`);
      }
    } finally {
      await admin.disconnect();
    }
  }
  if (config.s3) {
    const s3 = new StartedS3(s3Connection(config));
    const keys = await s3.listKeys(config.s3.bucket, names.s3Prefix);
    if (keys.length) {
      await s3.client().removeObjects(config.s3.bucket, keys);
      removed.push(`${keys.length} object${keys.length === 1 ? '' : 's'} under s3://${config.s3.bucket}/${names.s3Prefix}`);
    }
  }
  return removed;
}

/**
 * Services someone else runs, for those who outgrow one machine. `up` verifies every endpoint
 * the lab needs with the same probes as the docker runtime and seeds into the learner's own
 * namespace; `reset` and `down` touch nothing outside it.
 */
export class RemoteRuntime implements Runtime {
  readonly name = 'remote' as const;

  constructor(private readonly paths: LabPaths) {}

  private store(lab: LoadedLab): DatasetStore {
    return new DatasetStore(path.join(this.paths.home, lab.name, 'remote'));
  }

  /** The configuration, with every endpoint this lab needs present. */
  private config(lab: LoadedLab): { config: RemoteConfig; endpoints: Endpoint[] } {
    const config = loadRemoteConfig();
    const endpoints = endpointsFor(lab);
    const missing = endpoints.filter((e) => !config[e]);
    if (missing.length) {
      throw new LabError(
        `${lab.name} on the remote runtime needs ${missing.map((e) => `a ${e} endpoint`).join(' and ')}, and ${config.source === 'environment' ? 'no lab.config.yaml or LAB_REMOTE_* variable' : config.source} gives ${missing.length > 1 ? 'them' : 'it'}.`,
        `Set ${missing.map((e) => ENDPOINT_ENV[e].location.join(' and ')).join(', ')} (credentials: ${missing.flatMap((e) => ENDPOINT_ENV[e].secrets).join(', ') || 'none'}), or add them under \`remote:\` in lab.config.yaml.`,
      );
    }
    return { config, endpoints };
  }

  private async verify(config: RemoteConfig, endpoints: Endpoint[], output: Output): Promise<void> {
    for (const endpoint of endpoints) {
      const done = output.progress().start(`${endpoint} at ${where(config, endpoint)}`);
      try {
        await probeEndpoint(config, endpoint);
      } catch (err) {
        const why = (err as Error).message?.split('\n')[0] || String(err);
        throw new LabError(`The ${endpoint} endpoint at ${where(config, endpoint)} does not answer: ${why}.`, `Check the address and ${ENDPOINT_ENV[endpoint].secrets.join('/') || 'the network'}; the probe is the one the docker runtime uses.`);
      }
      done('ready');
    }
  }

  async up(lab: LoadedLab, opts: UpOptions): Promise<StartedStack> {
    const { config, endpoints } = this.config(lab);
    const names = namespaceNames(config.namespace, lab.name);
    opts.output.info(pc.dim(`remote endpoints from ${config.source} · namespace ${config.namespace} (schema ${names.schema}, s3 prefix ${names.s3Prefix}, topics ${names.topicPrefix}*)`));
    await this.verify(config, endpoints, opts.output);
    if (opts.reseed) {
      const removed = await cleanNamespace(config, lab.name);
      if (removed.length) opts.output.info(pc.dim(`      cleared your namespace: ${removed.join(', ')}`));
    }
    const python = startLabPython(this.paths, lab, opts.output);
    python.catch(() => undefined);
    const postgres = config.postgres ? new StartedPostgres(postgresConnection(config)) : undefined;
    const main = await this.store(lab).ensure(lab, {
      seed: opts.seed,
      scale: opts.scale,
      hidden: false,
      reseed: opts.reseed || (postgres ? !(await sourceHasData(lab, postgres, names.schema)) : false),
      output: opts.output,
      seedInto: postgres ? seedThroughPostgres(lab, postgres, names.schema) : undefined,
    });
    const hidden = await ensureHiddenDataset(this.store(lab), lab, opts);
    fs.writeFileSync(path.join(this.paths.home, lab.name, 'remote', 'remote.json'), JSON.stringify({ namespace: config.namespace, source: config.source }) + '\n');
    return { runtime: this.name, lab, datasets: [main, hidden], python: await python };
  }

  async attach(lab: LoadedLab, opts: { seed: number; scale: Scale }): Promise<StartedStack> {
    return { runtime: this.name, lab, ...(await attachLabData(this.paths, lab, this.store(lab), opts)) };
  }

  /** The shared services keep running (they are not ours); the learner's namespace is removed. */
  async down(lab: LoadedLab, opts: { purge?: boolean; volumes?: boolean; output?: Output }): Promise<void> {
    const { config } = this.config(lab);
    const removed = await cleanNamespace(config, lab.name);
    opts.output?.info(pc.dim(removed.length ? `  removed your namespace: ${removed.join(', ')}` : '  your namespace held nothing'));
    this.store(lab).remove();
  }

  async status(lab: LoadedLab): Promise<ServiceReport[]> {
    const reports: ServiceReport[] = [];
    try {
      const { config, endpoints } = this.config(lab);
      for (const endpoint of endpoints) {
        try {
          await probeEndpoint(config, endpoint);
          reports.push({ service: endpoint, role: 'remote', state: 'ready', detail: `${where(config, endpoint)} · namespace ${config.namespace}` });
        } catch (err) {
          reports.push({ service: endpoint, role: 'remote', state: 'missing', detail: `${where(config, endpoint)}: ${(err as Error).message.split('\n')[0]}` });
        }
      }
    } catch (err) {
      reports.push({ service: 'remote endpoints', role: '-', state: 'missing', detail: (err as Error).message });
    }
    return [...reports, ...labDataReports(this.paths, lab, this.store(lab), 'duckdb (extracted)')];
  }
}
