import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { LabError } from '../../errors.js';
import type { LoadedLab } from '../../lab/load.js';
import type { Scale } from '../../lab/scale.js';
import type { LabPaths } from '../../paths.js';
import { SERVICES } from '../../services/registry.js';
import type { Role, RoleClients } from '../../services/roles.js';
import type { ServiceModule } from '../../services/service.js';
import type { Output } from '../../ui/output.js';
import { DatasetStore } from '../dataset-store.js';
import { attachLabData, labDataReports, onThisMachine, seedLabData, seedStepsFor, withServices } from '../lab-data.js';
import { startLabPython } from '../lab-python.js';
import { type Dataset, type Runtime, type ServiceReport, type StartedStack, type UpOptions } from '../runtime.js';
import { LabStack, type StackServices } from '../stack.js';
import { loadRemoteConfig, namespaceNames, type RemoteConfig } from './config.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RemoteModule = ServiceModule<Role, any, any>;

/** The endpoints a lab needs: the modules of its roles that someone else can run. */
export function endpointsFor(lab: LoadedLab): RemoteModule[] {
  return SERVICES.filter((s) => s.remote && lab.def.roles.includes(s.role));
}

function connectionOf(config: RemoteConfig, module: RemoteModule, lab: string): unknown {
  return module.remote!.connect(config.sections[module.remote!.key], process.env, namespaceNames(config.namespace, lab));
}

function where(config: RemoteConfig, module: RemoteModule, lab: string): string {
  return module.where(connectionOf(config, module, lab));
}

/** Removes the learner's namespace, and only it: their schema, their object prefix, their topics. */
export async function cleanNamespace(config: RemoteConfig, lab: string): Promise<string[]> {
  const names = namespaceNames(config.namespace, lab);
  const removed: string[] = [];
  for (const module of SERVICES) {
    if (!module.remote?.clean || config.sections[module.remote.key] === undefined) continue;
    removed.push(...(await module.remote.clean(module.start(connectionOf(config, module, lab)), names)));
  }
  return removed;
}

/**
 * Services someone else runs, for those who outgrow one machine. `up` verifies every endpoint
 * the lab needs with the same probes as the docker runtime and seeds into the learner's own
 * namespace (only the seed steps that keep to one); `reset` and `down` touch nothing outside it.
 */
export class RemoteRuntime implements Runtime {
  readonly name = 'remote' as const;

  constructor(private readonly paths: LabPaths) {}

  private store(lab: LoadedLab): DatasetStore {
    return new DatasetStore(path.join(this.paths.home, lab.name, 'remote'));
  }

  /** The configuration, with every endpoint this lab needs present. */
  private config(lab: LoadedLab): { config: RemoteConfig; endpoints: RemoteModule[] } {
    const config = loadRemoteConfig();
    const endpoints = endpointsFor(lab);
    const missing = endpoints.filter((e) => config.sections[e.remote!.key] === undefined).map((e) => e.remote!);
    if (missing.length) {
      throw new LabError(
        `${lab.name} on the remote runtime needs ${missing.map((e) => `a ${e.key} endpoint`).join(' and ')}, and ${config.source === 'environment' ? 'no lab.config.yaml or LAB_REMOTE_* variable' : config.source} gives ${missing.length > 1 ? 'them' : 'it'}.`,
        `Set ${missing.map((e) => e.location.join(' and ')).join(', ')} (credentials: ${missing.flatMap((e) => e.secrets).join(', ') || 'none'}), or add them under \`remote:\` in lab.config.yaml.`,
      );
    }
    return { config, endpoints };
  }

  private services(config: RemoteConfig, endpoints: RemoteModule[], lab: string): StackServices {
    return {
      provides: endpoints.map((e) => e.role),
      connect: async <R extends Role>(role: R): Promise<RoleClients[R]> => {
        const module = endpoints.find((e) => e.role === role)!;
        return module.start(connectionOf(config, module, lab)) as RoleClients[R];
      },
    };
  }

  private async verify(config: RemoteConfig, endpoints: RemoteModule[], lab: string, output: Output): Promise<void> {
    for (const module of endpoints) {
      const key = module.remote!.key;
      const done = output.progress().start(`${key} at ${where(config, module, lab)}`);
      try {
        await module.probe(connectionOf(config, module, lab));
      } catch (err) {
        const why = (err as Error).message?.split('\n')[0] || String(err);
        throw new LabError(`The ${key} endpoint at ${where(config, module, lab)} does not answer: ${why}.`, `Check the address and ${module.remote!.secrets.join('/') || 'the network'}; the probe is the one the docker runtime uses.`);
      }
      done('ready');
    }
  }

  async up(lab: LoadedLab, opts: UpOptions): Promise<StartedStack> {
    const { config, endpoints } = this.config(lab);
    const names = namespaceNames(config.namespace, lab.name);
    opts.output.info(pc.dim(`remote endpoints from ${config.source} · namespace ${config.namespace} (schema ${names.schema}, s3 prefix ${names.s3Prefix}, topics ${names.topicPrefix}*)`));
    await this.verify(config, endpoints, lab.name, opts.output);
    if (opts.reseed) {
      const removed = await cleanNamespace(config, lab.name);
      if (removed.length) opts.output.info(pc.dim(`      cleared your namespace: ${removed.join(', ')}`));
    }
    const python = startLabPython(this.paths, lab, opts.output);
    python.catch(() => undefined);
    const datasets: Dataset[] = [];
    const services = withServices(onThisMachine(this.paths, lab, datasets, python), this.services(config, endpoints, lab.name));
    datasets.push(...(await seedLabData(this.store(lab), lab, { ...opts, services, steps: seedStepsFor(lab, services, { sharedCluster: true }), namespace: names })));
    fs.writeFileSync(path.join(this.paths.home, lab.name, 'remote', 'remote.json'), JSON.stringify({ namespace: config.namespace, source: config.source }) + '\n');
    await python;
    return new LabStack(this.name, lab, datasets, services);
  }

  async attach(lab: LoadedLab, opts: { seed: number; scale: Scale }): Promise<StartedStack> {
    const datasets = await attachLabData(lab, this.store(lab), opts);
    const { config, endpoints } = this.config(lab);
    return new LabStack(this.name, lab, datasets, withServices(onThisMachine(this.paths, lab, datasets), this.services(config, endpoints, lab.name)));
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
      for (const module of endpoints) {
        const key = module.remote!.key;
        try {
          await module.probe(connectionOf(config, module, lab.name));
          reports.push({ service: key, role: 'remote', state: 'ready', detail: `${where(config, module, lab.name)} · namespace ${config.namespace}` });
        } catch (err) {
          reports.push({ service: key, role: 'remote', state: 'missing', detail: `${where(config, module, lab.name)}: ${(err as Error).message.split('\n')[0]}` });
        }
      }
    } catch (err) {
      reports.push({ service: 'remote endpoints', role: '-', state: 'missing', detail: (err as Error).message });
    }
    return [...reports, ...labDataReports(this.paths, lab, this.store(lab), 'duckdb (extracted)')];
  }
}
