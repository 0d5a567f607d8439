/**
 * `npm run bench` (month3): the dbt and table-format lab on the local runtime.
 *   up:     `lab up month3` (venv present): the shop's data seeded, then again (data kept)
 *   run:    `lab run month3` with every reference in place: one dbt build of the whole project, by hand
 *   check:  a full `lab check month3` with every reference (both seeds; the references' own results first), then --fresh
 *   scale:  the dbt build by hand at --scale medium and large
 *   docker: when a Podman engine can run here, the same on containers (dbt on the stack's Postgres):
 *           up, the dbt build by hand, a full check, and the dbt exercises alone --fresh
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLI, labCli, ROOT } from './lab-cli.js';

const root = ROOT;
const env = { ...process.env, NO_COLOR: '1' };

const lab = labCli(env);

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-m3-'));
try {
  const first = lab(cwd, ['up', 'month3']);
  const again = lab(cwd, ['up', 'month3']);
  console.log(`lab up month3: ${s(first.ms)} first (venv checked, data seeded), ${s(again.ms)} again (data kept)`);

  applyReferences(cwd);
  const byHand = lab(cwd, ['run', 'month3']);
  console.log(`lab run month3 (dbt build of every reference, small): ${s(byHand.ms)}`);

  const check = lab(cwd, ['check', 'month3', '--json']);
  const report = JSON.parse(check.stdout) as { exercises: Array<{ id: string; passed: boolean }> };
  console.log(`lab check month3 (every reference, both seeds, the references' own results computed first): ${s(check.ms)}, ${report.exercises.filter((e) => e.passed).length}/${report.exercises.length} pass`);
  const fresh = lab(cwd, ['check', 'month3', '--json', '--fresh']);
  console.log(`lab check month3 --fresh (references cached, every solution run again): ${s(fresh.ms)}`);
  for (const id of ['03', '04', '06', '07', '10']) console.log(`  lab check month3 ${id} --fresh: ${s(lab(cwd, ['check', 'month3', id, '--fresh']).ms)}`);

  for (const scale of ['medium', 'large']) {
    const up = lab(cwd, ['up', 'month3', '--scale', scale]);
    const run = lab(cwd, ['run', 'month3']);
    console.log(`--scale ${scale}: lab up ${s(up.ms)}, lab run month3 (dbt build) ${s(run.ms)}`);
  }
} finally {
  fs.rmSync(cwd, { recursive: true, force: true });
}

/** Every reference solution into the workspace, as a learner who solved them all. */
function applyReferences(at: string): void {
  const exercises = path.join(root, 'labs', 'month3', 'exercises');
  for (const id of fs.readdirSync(exercises).sort()) {
    const solution = path.join(exercises, id, 'solution');
    for (const f of fs.readdirSync(solution)) fs.copyFileSync(path.join(solution, f), path.join(at, 'workspace', 'month3', id, f));
  }
}

{
  const { podmanUnavailable, startPodman } = await import('../support/podman.js');
  const why = podmanUnavailable();
  if (why) console.log(`month3 on containers: skipped (${why})`);
  else {
    const engine = await startPodman();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-m3-docker-'));
    const onDocker = labCli({ ...env, ...engine.env, LAB_LOCAL_IMAGES: '1' });
    try {
      onDocker(home, ['images', 'build', 'month3']);
      const up = onDocker(home, ['up', 'month3', '--runtime', 'docker']);
      applyReferences(home);
      const byHand = onDocker(home, ['run', 'month3']);
      const check = onDocker(home, ['check', 'month3', '--json']);
      const report = JSON.parse(check.stdout) as { exercises: Array<{ passed: boolean }> };
      const dbtOnly = ['01', '02', '03', '04', '05', '06'].map((id) => onDocker(home, ['check', 'month3', id, '--fresh']).ms).reduce((a, b) => a + b, 0);
      console.log(`month3 on containers (dbt on Postgres): lab up ${s(up.ms)}, lab run month3 ${s(byHand.ms)}, lab check month3 ${s(check.ms)} (${report.exercises.filter((e) => e.passed).length}/${report.exercises.length} pass), the six dbt exercises --fresh ${s(dbtOnly)} in all`);
    } finally {
      spawnSync(process.execPath, [CLI, 'down', 'month3', '--volumes'], { cwd: home, env: { ...env, ...engine.env } });
      fs.rmSync(home, { recursive: true, force: true });
      await engine.stop();
    }
  }
}
