/**
 * `npm run bench` (month2): the orchestration and Spark lab on the local runtime.
 *   up:           `lab up month2` (venv present), then again once down — Prefect's server start dominates
 *   check:        a full `lab check month2` with every reference solution in place (both seeds), and per exercise
 *   flow run:     `lab run month2 01` of the reference, by hand — one flow process against the server
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, labCli, ROOT } from './lab-cli.js';
import { freePort } from '../../src/runtime/local/processes.js';

const root = ROOT;
const cli = CLI;
const env = { ...process.env, NO_COLOR: '1', LAB_LOCAL_PREFECT_PORT: String(await freePort()) };

const lab = labCli(env);

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-m2-'));
try {
  const first = lab(cwd, ['up', 'month2']);
  lab(cwd, ['down', 'month2']);
  const again = lab(cwd, ['up', 'month2']);
  console.log(`lab up month2: ${s(first.ms)} first (server database migrated, data seeded), ${s(again.ms)} again (data kept)`);

  const exercises = path.join(root, 'labs', 'month2', 'exercises');
  for (const id of fs.readdirSync(exercises).sort()) {
    const solution = path.join(exercises, id, 'solution');
    for (const f of fs.readdirSync(solution)) fs.copyFileSync(path.join(solution, f), path.join(cwd, 'workspace', 'month2', id, f));
  }
  const byHand = lab(cwd, ['run', 'month2', '01']);
  console.log(`lab run month2 01 (the reference, every day, one flow process): ${s(byHand.ms)}`);

  const check = lab(cwd, ['check', 'month2', '--json']);
  const report = JSON.parse(check.stdout) as { score: number; exercises: Array<{ id: string; passed: boolean; ms?: number; durationMs?: number }> };
  console.log(`lab check month2 (every reference, both seeds, the references' own results computed first): ${s(check.ms)}, ${report.exercises.filter((e) => e.passed).length}/${report.exercises.length} pass`);
  // --fresh: the solutions run again (an unchanged file keeps its grade otherwise); the references' results stay cached.
  const fresh = lab(cwd, ['check', 'month2', '--json', '--fresh']);
  console.log(`lab check month2 --fresh (references cached, every solution run again): ${s(fresh.ms)}`);
  for (const id of ['01', '04', '07', '09']) console.log(`  lab check month2 ${id} --fresh: ${s(lab(cwd, ['check', 'month2', id, '--fresh']).ms)}`);
} finally {
  spawnSync(process.execPath, [cli, 'down', 'month2'], { cwd, env });
  fs.rmSync(cwd, { recursive: true, force: true });
}
