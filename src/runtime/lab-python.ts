import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import { fetchStep } from '../services/fetch.js';
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
  python.sparkJars = await fetchSparkJars(paths, lab, output);
  return python;
}

/** Where the jars of the lab's Spark pom go: shared by every home, one folder per pom. */
function sparkJarsDir(paths: LabPaths, lab: LoadedLab): string | undefined {
  if (!lab.def.sparkJars) return undefined;
  const pom = fs.readFileSync(path.join(lab.dir, lab.def.sparkJars));
  return path.join(process.env.LAB_DOWNLOADS ?? path.join(paths.home, 'downloads'), `spark-jars-${crypto.createHash('sha256').update(pom).digest('hex').slice(0, 12)}`);
}

const jarsIn = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.jar')).map((f) => path.join(dir, f));

/** The lab's Spark jars, fetched from Maven Central the first time (with progress), then reused. */
async function fetchSparkJars(paths: LabPaths, lab: LoadedLab, output: Output): Promise<string[]> {
  const dir = sparkJarsDir(paths, lab);
  if (!dir) return [];
  if (!fs.existsSync(dir)) {
    const tmp = `${dir}.fetching-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    const pom = path.join(lab.dir, lab.def.sparkJars!);
    await fetchStep(output, `Spark jars of ${lab.name} from Maven Central (once, into ${dir})`, 'mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${tmp}`], {
      cwd: path.dirname(pom),
      missing: ['Maven (mvn) is needed once, to fetch the Spark jars from Maven Central.', 'Install it: `apt-get install maven`.'],
      failed: ['Fetching the Spark jars from Maven Central failed', 'Check that Maven Central is reachable (a proxy in ~/.m2/settings.xml?).'],
      summary: () => `${jarsIn(tmp).length} jars`,
    });
    // Another `up` may have finished first: its copy is as good as this one.
    if (fs.existsSync(dir)) fs.rmSync(tmp, { recursive: true, force: true });
    else fs.renameSync(tmp, dir);
  }
  return jarsIn(dir);
}

/** The venv `up` created, for check and watch; missing or stale is one line saying to run `up`. */
export async function attachLabPython(paths: LabPaths, lab: LoadedLab): Promise<StartedPythonVenv | undefined> {
  const venv = labVenv(paths, lab);
  if (!venv) return undefined;
  if (!venv.isCurrent()) throw new LabError(`${lab.name}'s Python venv is missing or out of date.`, `Run \`lab up ${lab.name}\` to create it.`);
  const python = venv.attach();
  const jars = sparkJarsDir(paths, lab);
  if (jars && !fs.existsSync(jars)) throw new LabError(`${lab.name}'s Spark jars are missing.`, `Run \`lab up ${lab.name}\` to fetch them.`);
  if (jars) python.sparkJars = jarsIn(jars);
  return python;
}

export function describeLabPython(paths: LabPaths, lab: LoadedLab): { state: 'ready' | 'missing'; detail: string } | undefined {
  const venv = labVenv(paths, lab);
  if (!venv) return undefined;
  return { state: venv.isCurrent() ? 'ready' : 'missing', detail: path.relative(process.cwd(), venv.dir) };
}
