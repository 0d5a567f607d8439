import path from 'node:path';
import type { LoadedLab } from '../../lab/load.js';
import type { Scale } from '../../lab/scale.js';
import type { LabPaths } from '../../paths.js';
import { DatasetStore } from '../dataset-store.js';
import { attachLabData, labDataReports, onThisMachine, OWN_STACK_NAMESPACE, seedLabData, seedStepsFor } from '../lab-data.js';
import { startLabPython } from '../lab-python.js';
import { type Dataset, type Runtime, type ServiceReport, type StartedStack, type UpOptions } from '../runtime.js';
import { LabStack } from '../stack.js';

/** Real engines in-process (DuckDB) and as local processes (a Python venv); no containers. */
export class LocalRuntime implements Runtime {
  readonly name = 'local' as const;

  constructor(private readonly paths: LabPaths) {}

  private store(lab: LoadedLab): DatasetStore {
    return new DatasetStore(path.join(this.paths.home, lab.name, 'local'));
  }

  async up(lab: LoadedLab, opts: UpOptions): Promise<StartedStack> {
    // The venv check runs while DuckDB seeds: one waits on Python imports, the other on cores.
    const python = startLabPython(this.paths, lab, opts.output);
    python.catch(() => undefined);
    const datasets: Dataset[] = [];
    const services = onThisMachine(this.paths, lab, datasets, python);
    datasets.push(...(await seedLabData(this.store(lab), lab, { ...opts, services, steps: seedStepsFor(lab, services), namespace: OWN_STACK_NAMESPACE })));
    await python;
    return new LabStack(this.name, lab, datasets, services);
  }

  async attach(lab: LoadedLab, opts: { seed: number; scale: Scale }): Promise<StartedStack> {
    const datasets = await attachLabData(lab, this.store(lab), opts);
    return new LabStack(this.name, lab, datasets, onThisMachine(this.paths, lab, datasets));
  }

  async down(lab: LoadedLab, opts: { purge?: boolean; volumes?: boolean }): Promise<void> {
    // Nothing runs between commands for in-process engines; purge frees the disk.
    if (opts.purge || opts.volumes) this.store(lab).remove();
  }

  async status(lab: LoadedLab): Promise<ServiceReport[]> {
    return labDataReports(this.paths, lab, this.store(lab));
  }
}
