import fs from 'node:fs';
import path from 'node:path';
import type { LoadedLab } from '../../lab/load.js';
import type { Scale } from '../../lab/scale.js';
import type { LabPaths } from '../../paths.js';
import { isRole, type Role, type RoleClients } from '../../services/roles.js';
import { consoleOutput, type Output } from '../../ui/output.js';
import { DatasetStore } from '../dataset-store.js';
import { attachLabData, labDataReports, onThisMachine, OWN_STACK_NAMESPACE, seedLabData, seedStepsFor, withServices } from '../lab-data.js';
import { startLabPython } from '../lab-python.js';
import { TrinoModelEngine } from '../models/trino.js';
import { type Dataset, type Runtime, type ServiceReport, type StartedStack, type UpOptions } from '../runtime.js';
import { LabStack, type StackServices } from '../stack.js';
import { loadComposeFile } from './compose-file.js';
import { ComposeStack, type StartedComposeStack } from './compose-stack.js';

interface DockerSettings {
  localImages: boolean;
}

/**
 * The lab's services in containers from `compose/<lab>.yaml`. The lab's seed steps carry its data
 * into the stack's services (month1: rows into Postgres, then extracted; month4: drops into MinIO
 * and tables into the Iceberg catalog); graders read the datasets from DuckDB as on the local
 * runtime, so a lab's checks do not change between runtimes.
 */
export class DockerRuntime implements Runtime {
  readonly name = 'docker' as const;

  constructor(
    private readonly paths: LabPaths,
    private readonly opts: { localImages?: boolean } = {},
  ) {}

  dir(lab: string): string {
    return path.join(this.paths.home, lab, 'docker');
  }

  private store(lab: LoadedLab): DatasetStore {
    return new DatasetStore(this.dir(lab.name));
  }

  /** `--local-images` sticks to the lab, so `reset` and `down` use the same images as `up` did. */
  private settings(lab: string): DockerSettings {
    const file = path.join(this.dir(lab), 'runtime.json');
    const saved: Partial<DockerSettings> = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DockerSettings>) : {};
    const localImages = this.opts.localImages ?? (process.env.LAB_LOCAL_IMAGES ? process.env.LAB_LOCAL_IMAGES !== '0' : undefined) ?? saved.localImages ?? false;
    return { localImages };
  }

  composeStack(lab: string): ComposeStack {
    return new ComposeStack(lab, { dir: this.dir(lab), localImages: this.settings(lab).localImages });
  }

  /** The stack's services by role: the roles its compose file labels, connected through `started` (attached on first use when absent). */
  private containerServices(lab: LoadedLab, started?: StartedComposeStack): StackServices {
    const provides = loadComposeFile(lab.name).services.map((s) => s.role ?? '').filter(isRole);
    let attached: Promise<StartedComposeStack> | undefined = started && Promise.resolve(started);
    const stack = () => (attached ??= this.composeStack(lab.name).attach());
    return {
      provides,
      connect: async <R extends Role>(role: R): Promise<RoleClients[R]> => (await stack()).client(role),
      // A lake lab's tables are in Trino's catalog on this stack: its models can be built and graded there too.
      engines: lab.def.lake && provides.includes('queryEngine') && provides.includes('objectStore') ? { trino: async (s) => new TrinoModelEngine(await s.service('queryEngine'), await s.service('objectStore')) } : undefined,
    };
  }

  async up(lab: LoadedLab, opts: UpOptions): Promise<StartedStack> {
    const settings = this.settings(lab.name);
    const started = await this.composeStack(lab.name).start(opts.output, { recreateVolumes: opts.reseed });
    fs.writeFileSync(path.join(this.dir(lab.name), 'runtime.json'), JSON.stringify(settings) + '\n');
    const python = startLabPython(this.paths, lab, opts.output);
    python.catch(() => undefined);
    const datasets: Dataset[] = [];
    const services = withServices(onThisMachine(this.paths, lab, datasets, python), this.containerServices(lab, started));
    datasets.push(...(await seedLabData(this.store(lab), lab, { ...opts, services, steps: seedStepsFor(lab, services), namespace: OWN_STACK_NAMESPACE })));
    await python;
    return new LabStack(this.name, lab, datasets, services);
  }

  async attach(lab: LoadedLab, opts: { seed: number; scale: Scale }): Promise<StartedStack> {
    const datasets = await attachLabData(lab, this.store(lab), opts);
    return new LabStack(this.name, lab, datasets, withServices(onThisMachine(this.paths, lab, datasets), this.containerServices(lab)));
  }

  async down(lab: LoadedLab, opts: { purge?: boolean; volumes?: boolean; output?: Output }): Promise<void> {
    const output = opts.output ?? consoleOutput();
    await this.composeStack(lab.name).stop(output, { volumes: opts.volumes || opts.purge });
    if (opts.volumes || opts.purge) this.store(lab).remove();
  }

  async status(lab: LoadedLab): Promise<ServiceReport[]> {
    const reports: ServiceReport[] = [];
    try {
      const stack = await this.composeStack(lab.name).attach();
      for (const s of await stack.status()) {
        const state = s.state === 'running' ? 'ready' : s.state === 'absent' ? 'missing' : 'stopped';
        const exit = s.exitCode !== undefined ? ` · exited ${s.exitCode}${s.exitCode === 137 ? ' (killed: out of memory?)' : ''}` : '';
        reports.push({ service: s.service, role: s.role ?? '-', state, detail: `${s.state}${s.ports ? ` · ${s.ports}` : ''}${s.memory ? ` · ${s.memory}` : ''}${exit}` });
      }
    } catch (err) {
      reports.push({ service: 'container engine', role: '-', state: 'missing', detail: (err as Error).message });
    }
    return [...reports, ...labDataReports(this.paths, lab, this.store(lab), 'duckdb (extracted)')];
  }
}
