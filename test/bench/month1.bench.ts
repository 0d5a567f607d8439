/**
 * `npm run bench`: times what a learner waits for in month1, on the local runtime.
 *   up:    `lab up month1 --scale medium` (seed 10^6 orders + hidden seed + ready), venv already present
 *   check: `lab check month1` with every reference solution applied:
 *          - --fresh at small: every solution runs again (target ≤ 2 s),
 *          - first check after seeding medium (computes and caches the reference results too; ≤ 8 s),
 *          - --fresh at medium: the worst case of a full check (≤ 4 s),
 *          - after editing one exercise (the learner's loop: only that one runs),
 *          - nothing changed (every grade reused).
 * Targets on a 2-core machine: up ≤ 5 s, checks as above. Also prints peak memory (RSS) of each run.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = path.join(root, 'dist', 'src', 'cli.js');
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-'));
const env = { ...process.env, NO_COLOR: '1', LAB_VENVS: process.env.LAB_VENVS ?? path.join(root, 'node_modules', '.cache', 'lakehouse-lab', 'venvs') };

let lastPeakMiB = 0;
function lab(args: string[], expectCode = 0): number {
  const t0 = performance.now();
  // GNU time reports the peak RSS of the command and its children (the Python harness too).
  const r = fs.existsSync('/usr/bin/time')
    ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, ...args], { cwd, env, encoding: 'utf8' })
    : spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== expectCode) {
    process.stderr.write(`lab ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}\n`);
    process.exit(1);
  }
  lastPeakMiB = Number(/(\d+)\s*$/.exec(r.stderr)?.[1] ?? 0) / 1024;
  return ms;
}

const rows: Array<[string, number, number | undefined, number]> = [];
const timed = (name: string, args: string[], target?: number) => rows.push([name, lab(args), target, lastPeakMiB]);
process.stderr.write(`bench in ${cwd} (${os.cpus().length} cores)\n`);
lab(['up', 'month1', '--scale', 'small']); // warm-up: creates the venv if needed, untimed
const exercises = fs.readdirSync(path.join(root, 'labs', 'month1', 'exercises')).sort();
for (const id of exercises) lab(['solution', 'month1', id, '--apply']);
lab(['check', 'month1']); // the references of the small seed, untimed
timed('lab check month1 --fresh, small (every solution runs)', ['check', 'month1', '--fresh'], 2000);
timed('lab check month1 --fresh, small, again', ['check', 'month1', '--fresh'], 2000);
timed('lab up month1 --scale medium (seed + ready)', ['up', 'month1', '--scale', 'medium'], 5000);
timed('lab up month1 --scale medium (already seeded)', ['up', 'month1', '--scale', 'medium']);
timed('lab check month1, medium, first after seeding (+ references)', ['check', 'month1'], 8000);
timed('lab check month1 --fresh, medium (every solution runs)', ['check', 'month1', '--fresh'], 4000);
timed('lab check month1 --fresh, medium, again', ['check', 'month1', '--fresh'], 4000);
// The learner's loop: edit one file (here: the heaviest SQL one), check the lab.
const edited = path.join(cwd, 'workspace', 'month1', exercises.find((e) => e.startsWith('06'))!, 'query.sql');
fs.appendFileSync(edited, '\n-- edited\n');
timed('lab check month1 after editing one exercise, medium', ['check', 'month1'], 3000);
timed('lab check month1, nothing changed', ['check', 'month1'], 3000);

console.log(`\nmonth1 benchmark, local runtime, ${exercises.length} exercises, ${os.cpus().length} cores\n`);
console.log(`${'what'.padEnd(56)} ${'time'.padStart(9)} ${'peak RSS'.padStart(10)}`);
for (const [name, ms, target, peak] of rows) {
  const verdict = target === undefined ? '' : ms <= target ? `  ✓ target ≤ ${target / 1000} s` : `  ✗ target ≤ ${target / 1000} s`;
  console.log(`${name.padEnd(56)} ${(ms / 1000).toFixed(2).padStart(7)} s ${peak.toFixed(0).padStart(6)} MiB${verdict}`);
}
fs.rmSync(cwd, { recursive: true, force: true });
