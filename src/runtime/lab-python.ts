import path from 'node:path';
import { LabError } from '../errors.js';
import type { LoadedLab } from '../lab/load.js';
import type { LabPaths } from '../paths.js';
import { PythonVenv, type StartedPythonVenv } from '../services/python/python.js';
import type { Output } from '../ui/output.js';

/** The lab's venv with its pinned requirements; the same on every runtime (Python solutions run beside the runner). */
export function labVenv(paths: LabPaths, lab: LoadedLab): PythonVenv | undefined {
  if (!lab.def.pythonRequirements) return undefined;
  // LAB_VENVS lets several lab homes (e.g. test runs) share one venv per lab.
  return new PythonVenv(path.join(process.env.LAB_VENVS ?? path.join(paths.home, 'venvs'), lab.name), path.join(lab.dir, lab.def.pythonRequirements));
}

/** Creates or updates the venv, with progress: on `up`. */
export async function startLabPython(paths: LabPaths, lab: LoadedLab, output: Output): Promise<StartedPythonVenv | undefined> {
  const venv = labVenv(paths, lab);
  if (!venv) return undefined;
  const firstTime = !venv.isCurrent();
  const done = output.progress().start(firstTime ? 'Python venv (pinned requirements, first time takes a minute)' : 'Python venv');
  const python = await venv.start((line) => {
    if (/^(Collecting|Successfully installed|Waiting for)/.test(line)) output.info(`      ${line.replace(/ \(from .*$/, '').slice(0, 100)}`);
  });
  done(path.relative(process.cwd(), venv.dir) || venv.dir);
  return python;
}

/** The venv `up` created, for check and watch; missing or stale is one line saying to run `up`. */
export async function attachLabPython(paths: LabPaths, lab: LoadedLab): Promise<StartedPythonVenv | undefined> {
  const venv = labVenv(paths, lab);
  if (!venv) return undefined;
  if (!venv.isCurrent()) throw new LabError(`${lab.name}'s Python venv is missing or out of date.`, `Run \`lab up ${lab.name}\` to create it.`);
  return venv.attach();
}

export function describeLabPython(paths: LabPaths, lab: LoadedLab): { state: 'ready' | 'missing'; detail: string } | undefined {
  const venv = labVenv(paths, lab);
  if (!venv) return undefined;
  return { state: venv.isCurrent() ? 'ready' : 'missing', detail: path.relative(process.cwd(), venv.dir) };
}
