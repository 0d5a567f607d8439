/**
 * `npm run bench`: times what a learner waits for in month1, on the local runtime.
 *   up:    `lab up month1 --scale medium` (seed 10^6 orders + hidden seed + ready), venv already present
 *   check: a full `lab check month1` with every reference solution applied (cold: first check
 *          after seeding computes the reference results; warm: they are cached)
 * Targets on a 2-core machine: up ≤ 5 s, check ≤ 3 s.
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

function lab(args: string[], expectCode = 0): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== expectCode) {
    process.stderr.write(`lab ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}\n`);
    process.exit(1);
  }
  return ms;
}

const rows: Array<[string, number, number | undefined]> = [];
process.stderr.write(`bench in ${cwd} (${os.cpus().length} cores)\n`);
lab(['up', 'month1', '--scale', 'small']); // warm-up: creates the venv if needed, untimed
rows.push(['lab up month1 --scale medium (seed + ready)', lab(['up', 'month1', '--scale', 'medium']), 5000]);
rows.push(['lab up month1 --scale medium (already seeded)', lab(['up', 'month1', '--scale', 'medium']), undefined]);
const exercises = fs.readdirSync(path.join(root, 'labs', 'month1', 'exercises')).sort();
for (const id of exercises) lab(['solution', 'month1', id, '--apply']);
rows.push(['lab check month1, medium (cold: computes reference results)', lab(['check', 'month1']), undefined]);
rows.push(['lab check month1, medium (warm)', lab(['check', 'month1']), 3000]);
rows.push(['lab check month1, medium (warm, again)', lab(['check', 'month1']), 3000]);

console.log(`\nmonth1 benchmark, local runtime, ${exercises.length} exercises, ${os.cpus().length} cores\n`);
for (const [name, ms, target] of rows) {
  const verdict = target === undefined ? '' : ms <= target ? `  ✓ target ≤ ${target / 1000} s` : `  ✗ target ≤ ${target / 1000} s`;
  console.log(`${name.padEnd(62)} ${(ms / 1000).toFixed(2).padStart(7)} s${verdict}`);
}
fs.rmSync(cwd, { recursive: true, force: true });
