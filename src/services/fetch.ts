import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LabError } from '../errors.js';
import type { Output } from '../ui/output.js';

const execFileAsync = promisify(execFile);

/** Runs one fetch (jars, wheels, binaries) with progress; a missing tool or a failure is one line with its fix. */
export async function fetchStep(
  output: Output,
  label: string,
  cmd: string,
  args: string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv; missing: [string, string]; failed: [string, string]; summary?: () => string },
): Promise<void> {
  const done = output.progress().start(label);
  try {
    await execFileAsync(cmd, args, { cwd: opts.cwd, env: opts.env, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new LabError(...opts.missing);
    // Maven reports on stdout, go and pip on stderr.
    const said = (e.stderr?.trim() || e.stdout?.trim() || e.message).split('\n').slice(-3).join(' ');
    throw new LabError(`${opts.failed[0]}: ${said}`, opts.failed[1]);
  }
  done(opts.summary?.());
}

