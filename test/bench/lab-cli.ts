import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/test/bench/. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');

/** Runs the built `lab` as a learner would, timed; a failing command ends the bench with its output. */
export function labCli(env: NodeJS.ProcessEnv): (cwd: string, args: string[]) => { ms: number; stdout: string } {
  return (cwd, args) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) {
      process.stderr.write(`lab ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}\n`);
      process.exit(1);
    }
    return { ms: performance.now() - t0, stdout: r.stdout };
  };
}

export { CLI };
