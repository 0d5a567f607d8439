import fs from 'node:fs';
import path from 'node:path';
import type { Scale } from '../../../datasets/ecommerce/generate.js';
import { LabError } from '../../errors.js';
import type { LoadedLab } from '../../lab/load.js';
import type { LabPaths } from '../../paths.js';
import { consoleOutput, type Output } from '../../ui/output.js';
import { DatasetStore } from '../dataset-store.js';
import { attachLabData, ensureHiddenDataset, labDataReports } from '../lab-data.js';
import { startLabPython } from '../lab-python.js';
import { type Lakehouse, type Runtime, type ServiceReport, type StartedStack, type UpOptions } from '../runtime.js';
import { ComposeStack, type StartedComposeStack } from './compose-stack.js';
import { lakehouseHasData, publishHiddenDataset, seedThroughLakehouse } from './lakehouse-source.js';
import { seedThroughPostgres, sourceHasData } from './postgres-source.js';

interface DockerSettings {
  localImages: boolean;
}

/**
 * The lab's services in containers from `compose/<lab>.yaml`. The learner's dataset flows through
 * the stack (for month1: seeded into Postgres, then extracted); graders read it from DuckDB as on
 * the local runtime, so a lab's checks do not change between runtimes.
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

  async up(lab: LoadedLab, opts: UpOptions): Promise<StartedStack> {
    const settings = this.settings(lab.name);
    const services = await this.composeStack(lab.name).start(opts.output, { recreateVolumes: opts.reseed });
    fs.writeFileSync(path.join(this.dir(lab.name), 'runtime.json'), JSON.stringify(settings) + '\n');
    const python = startLabPython(this.paths, lab, opts.output);
    python.catch(() => undefined);
    const main = await this.store(lab).ensure(lab, {
      seed: opts.seed,
      scale: opts.scale,
      hidden: false,
      // Recreated volumes hold no data: seed again even when the extracted copy is current.
      reseed: opts.reseed || (await this.sourceIsEmpty(lab, services)),
      output: opts.output,
      seedInto: this.seedInto(lab, services),
    });
    const hidden = await ensureHiddenDataset(this.store(lab), lab, opts);
    const lakehouse = this.lakehouseOf(lab, services);
    // The graders' second seed goes into the catalog too (hidden_bronze), so models can be graded on Trino.
    if (lakehouse) await publishHiddenDataset(lab, hidden, lakehouse);
    return { runtime: this.name, lab, datasets: [main, hidden], python: await python, connectLakehouse: lakehouse && (async () => lakehouse) };
  }

  private seedInto(lab: LoadedLab, services: StartedComposeStack) {
    if (services.has('oltp')) return seedThroughPostgres(lab, services.postgres());
    const lakehouse = this.lakehouseOf(lab, services);
    return lakehouse && seedThroughLakehouse(lab, lakehouse);
  }

  private async sourceIsEmpty(lab: LoadedLab, services: StartedComposeStack): Promise<boolean> {
    if (services.has('oltp')) return !(await sourceHasData(lab, services.postgres()));
    const lakehouse = this.lakehouseOf(lab, services);
    return lakehouse ? !(await lakehouseHasData(lab, lakehouse.trino)) : false;
  }

  /** A lake lab's Trino and object store, when its stack runs both. */
  private lakehouseOf(lab: LoadedLab, services: StartedComposeStack): Lakehouse | undefined {
    return lab.def.lake && services.has('sql') && services.has('objectStore') ? { trino: services.trino(), s3: services.s3() } : undefined;
  }

  async attach(lab: LoadedLab, opts: { seed: number; scale: Scale }): Promise<StartedStack> {
    const data = await attachLabData(this.paths, lab, this.store(lab), opts);
    let connected: Promise<Lakehouse> | undefined;
    const connectLakehouse = async () => {
      const lakehouse = this.lakehouseOf(lab, await this.composeStack(lab.name).attach());
      if (!lakehouse) throw new LabError(`${lab.name}'s stack runs no Trino and object store.`);
      return lakehouse;
    };
    return { runtime: this.name, lab, ...data, connectLakehouse: lab.def.lake ? () => (connected ??= connectLakehouse()) : undefined };
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
