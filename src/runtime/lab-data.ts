import type { SeedContext, SeedStep } from '../lab/define.js';
import type { LoadedLab } from '../lab/load.js';
import type { Scale } from '../lab/scale.js';
import type { Role, RoleClients } from '../services/roles.js';
import type { NamespaceNames } from '../services/service.js';
import type { StartedPythonVenv } from '../services/python/python.js';
import type { LabPaths } from '../paths.js';
import type { DatasetStore, SeedInto } from './dataset-store.js';
import { attachLabPython, describeLabPython } from './lab-python.js';
import { HIDDEN_SCALE, hiddenSeed, type Dataset, type ServiceReport, type UpOptions } from './runtime.js';
import type { StackServices } from './stack.js';

/** What every runtime keeps on this machine: the learner's dataset, the hidden one, the Python venv; and how data reaches services. */

/** Names on a stack of the lab's own (the docker runtime): nothing to keep apart. */
export const OWN_STACK_NAMESPACE: NamespaceNames = { schema: 'public', s3Prefix: '', topicPrefix: '' };

/** The roles served on this machine on every runtime: the lab's DuckDB datasets and its Python venv. */
export function onThisMachine(paths: LabPaths, lab: LoadedLab, datasets: Dataset[], python?: Promise<StartedPythonVenv | undefined>): StackServices {
  return {
    provides: lab.def.pythonRequirements ? ['sql', 'python'] : ['sql'],
    async connect<R extends Role>(role: R): Promise<RoleClients[R]> {
      if (role === 'sql') return datasets[0]!.sql as RoleClients[R];
      if (role === 'python') return ((await python) ?? (await attachLabPython(paths, lab))!) as RoleClients[R];
      throw new Error(`no ${role} on this machine`);
    },
  };
}

/** Two sets of services as one stack's (the machine's, and a compose stack's or a remote cluster's). */
export function withServices(a: StackServices, b: StackServices): StackServices {
  return {
    provides: [...new Set([...a.provides, ...b.provides])],
    connect: (role) => (a.provides.includes(role) ? a.connect(role) : b.connect(role)),
    engines: { ...a.engines, ...b.engines },
  };
}

/** The lab's seed steps for the roles this stack runs; on a shared cluster only those that keep to the learner's namespace. */
export function seedStepsFor(lab: LoadedLab, services: StackServices, opts: { sharedCluster?: boolean } = {}): Array<[Role, SeedStep<Role>]> {
  return (Object.entries(lab.def.seedsInto ?? {}) as Array<[Role, SeedStep<Role>]>).filter(([role, step]) => services.provides.includes(role) && (!opts.sharedCluster || step.namespaced));
}

/**
 * Seeds (or keeps) both datasets, the learner's and the hidden one, running the lab's seed step of
 * each role the stack runs inside seeding. A dataset whose services lost it (fresh volumes) is seeded again.
 */
export async function seedLabData(store: DatasetStore, lab: LoadedLab, opts: UpOptions & { services: StackServices; steps: Array<[Role, SeedStep<Role>]>; namespace: NamespaceNames }): Promise<Dataset[]> {
  const datasets: Dataset[] = [];
  for (const hidden of [false, true]) {
    const request = hidden ? { seed: hiddenSeed(opts.seed), scale: HIDDEN_SCALE, hidden } : { seed: opts.seed, scale: opts.scale, hidden };
    const context = async (role: Role, dir: string): Promise<SeedContext<Role>> => ({ client: await opts.services.connect(role), service: (r) => opts.services.connect(r), dir, hidden, namespace: opts.namespace });
    let present = store.isFresh(lab, request);
    for (const [role, step] of opts.steps) if (present) present = await step.present(await context(role, store.dir(hidden)));
    const seedInto: SeedInto | undefined = opts.steps.length
      ? async (session, o) => {
          await lab.def.seed(session, o);
          for (const [role, step] of opts.steps) await step.seed({ ...(await context(role, o.dir)), session, onTable: o.onTable });
        }
      : undefined;
    datasets.push(await store.ensure(lab, { ...request, reseed: opts.reseed || !present, output: opts.output, seedInto }));
  }
  return datasets;
}

/** Both datasets as `up` left them, for check, watch and query. */
export async function attachLabData(lab: LoadedLab, store: DatasetStore, opts: { seed: number; scale: Scale }): Promise<Dataset[]> {
  const main = await store.open(lab, { seed: opts.seed, scale: opts.scale, hidden: false });
  const hidden = await store.open(lab, { seed: hiddenSeed(opts.seed), scale: HIDDEN_SCALE, hidden: true });
  return [main, hidden];
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
