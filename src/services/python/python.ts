import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { formatSeconds } from '../duckdb.js';

export const HARNESS = path.join(PACKAGE_ROOT, 'src', 'services', 'python', 'harness.py');
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
    await runLogged(
      path.join(this.dir, 'bin', 'pip'),
      ['install', '--disable-pip-version-check', '--progress-bar', 'off', '-r', this.requirementsFile],
      onLine,
      'install the Python requirements',
      'Check that PyPI is reachable (or set PIP_INDEX_URL to a mirror), then run `lab up` again.',
    );
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
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
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
}

export type PythonRunOutcome =
  | { ok: true }
  | { ok: false; timedOut: true; message: string }
  | { ok: false; timedOut: false; error: PythonRunError };

export interface RowLoop {
  line: number;
  what: string;
}

export class StartedPythonVenv {
  constructor(readonly python: string) {}

  /** Readiness: the interpreter imports every pinned package. */
  async probe(requirementsFile: string): Promise<void> {
    const modules = fs
      .readFileSync(requirementsFile, 'utf8')
      .split('\n')
      .map((l) => l.split(/[=<>~ #]/)[0]!.trim())
      .filter(Boolean);
    if (modules.length === 0) return;
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn(this.python, ['-c', `import ${modules.join(', ')}`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('error', (e) => resolve({ code: 1, stderr: e.message }));
      child.on('close', (c) => resolve({ code: c ?? 1, stderr: err }));
    });
    if (code !== 0) {
      throw new LabError(`The lab's Python venv is broken: ${stderr.trim().split('\n').pop()}`, 'Delete the venv under .lab/venvs and run `lab up` again.');
    }
  }

  /**
   * Runs `solve()` from `moduleFile` on each job's parquet tables, writing each job's output, in
   * one process. Each job may take `timeoutMs`; the process is killed if it overruns them all.
   */
  runSolution(opts: { moduleFile: string; library: string; jobs: Array<{ inputDir: string; outputFile: string }>; timeoutMs: number }): Promise<PythonRunOutcome> {
    const args = [HARNESS, 'run', opts.moduleFile, opts.library, String(opts.timeoutMs / 1000), ...opts.jobs.flatMap((j) => [j.inputDir, j.outputFile])];
    const stoppedMessage = `stopped after ${formatSeconds(opts.timeoutMs)}: solve() was still running`;
    return new Promise((resolve, reject) => {
      const child = spawn(this.python, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
      let stderr = '';
      let killed = false;
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdout.resume();
      // A backstop for code that never returns to the interpreter (the harness's own alarm cannot fire).
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, opts.timeoutMs * opts.jobs.length + 10_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (killed) return resolve({ ok: false, timedOut: true, message: stoppedMessage });
        if (code === 0) return resolve({ ok: true });
        const last = stderr.trim().split('\n').pop() ?? '';
        let error: PythonRunError;
        try {
          error = JSON.parse(last) as PythonRunError;
        } catch {
          error = { kind: 'Crash', message: last || `python exited with code ${code}` };
        }
        if (error.kind === 'Timeout') return resolve({ ok: false, timedOut: true, message: stoppedMessage });
        resolve({ ok: false, timedOut: false, error });
      });
    });
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
