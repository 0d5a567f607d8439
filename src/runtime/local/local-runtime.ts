import path from 'node:path';
import type { Scale } from '../../../datasets/ecommerce/generate.js';
import type { LoadedLab } from '../../lab/load.js';
import type { LabPaths } from '../../paths.js';
import { DatasetStore } from '../dataset-store.js';
import { attachLabData, ensureHiddenDataset, labDataReports } from '../lab-data.js';
import { startLabPython } from '../lab-python.js';
import { type Runtime, type ServiceReport, type StartedStack, type UpOptions } from '../runtime.js';

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
    const main = await this.store(lab).ensure(lab, { seed: opts.seed, scale: opts.scale, hidden: false, reseed: opts.reseed, output: opts.output });
    const hidden = await ensureHiddenDataset(this.store(lab), lab, opts);
    return { runtime: this.name, lab, datasets: [main, hidden], python: await python };
  }

  async attach(lab: LoadedLab, opts: { seed: number; scale: Scale }): Promise<StartedStack> {
    return { runtime: this.name, lab, ...(await attachLabData(this.paths, lab, this.store(lab), opts)) };
  }

  async down(lab: LoadedLab, opts: { purge?: boolean; volumes?: boolean }): Promise<void> {
    // Nothing runs between commands for in-process engines; purge frees the disk.
    if (opts.purge || opts.volumes) this.store(lab).remove();
  }

  async status(lab: LoadedLab): Promise<ServiceReport[]> {
    return labDataReports(this.paths, lab, this.store(lab));
  }
}
