import type { Scale } from '../../datasets/ecommerce/generate.js';
import type { LoadedLab } from '../lab/load.js';
import type { LabPaths } from '../paths.js';
import type { StartedPythonVenv } from '../services/python/python.js';
import type { DatasetStore } from './dataset-store.js';
import { attachLabPython, describeLabPython } from './lab-python.js';
import { HIDDEN_SCALE, hiddenSeed, type Dataset, type ServiceReport, type UpOptions } from './runtime.js';

/** What every runtime keeps on this machine: the learner's dataset, the hidden one, and the Python venv. */

/** The grader's hidden dataset: seeded the same way on every runtime, straight into DuckDB. */
export function ensureHiddenDataset(store: DatasetStore, lab: LoadedLab, opts: UpOptions): Promise<Dataset> {
  return store.ensure(lab, { seed: hiddenSeed(opts.seed), scale: HIDDEN_SCALE, hidden: true, reseed: opts.reseed, output: opts.output });
}

/** Both datasets and the venv as `up` left them, for check, watch and query. */
export async function attachLabData(paths: LabPaths, lab: LoadedLab, store: DatasetStore, opts: { seed: number; scale: Scale }): Promise<{ datasets: Dataset[]; python?: StartedPythonVenv }> {
  const main = await store.open(lab, { seed: opts.seed, scale: opts.scale, hidden: false });
  const hidden = await store.open(lab, { seed: hiddenSeed(opts.seed), scale: HIDDEN_SCALE, hidden: true });
  return { datasets: [main, hidden], python: await attachLabPython(paths, lab) };
}

/** Status lines for the datasets and the venv; `main` names the learner's dataset ("duckdb (extracted)" when it came out of a source). */
export function labDataReports(paths: LabPaths, lab: LoadedLab, store: DatasetStore, main = 'duckdb'): ServiceReport[] {
  const reports: ServiceReport[] = [false, true].map((hidden) => {
    const d = store.describe(hidden);
    return { service: hidden ? 'duckdb (hidden seed)' : main, role: 'sql', state: d.ready ? 'ready' : 'missing', detail: d.detail };
  });
  const python = describeLabPython(paths, lab);
  if (python) reports.push({ service: 'python venv', role: 'python', ...python });
  return reports;
}
