// `lab compare --all` at 10^4 and 10^5 rows: the ratio of every pair on this machine, as the README quotes them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CompareJson } from '../../src/compare/report.js';

const cli = path.resolve('dist', 'src', 'cli.js');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-compare-'));
process.env.LAB_VENVS ??= path.resolve('node_modules', '.cache', 'lakehouse-lab', 'venvs');
process.env.LAB_DOWNLOADS ??= path.resolve('node_modules', '.cache', 'lakehouse-lab', 'downloads');
try {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'compare', '--all', '--scales', '1e4,1e5', '--json'], { cwd: home, encoding: 'utf8', maxBuffer: 1 << 26 });
  const report = JSON.parse(r.stdout) as CompareJson;
  console.log(`lab compare --all --scales 1e4,1e5: ${((performance.now() - t0) / 1000).toFixed(0)} s on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
  const fmt = (ms: number | null, status: string) => (ms === null ? (status === 'over-budget' ? '> budget' : status) : ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`);
  for (const pair of report.pairs) {
    if (pair.skipped) {
      console.log(`${pair.id}: skipped (${pair.skipped})`);
      continue;
    }
    const cells = pair.results.map((x) => `${x.scale.toLocaleString('en-US')} rows: ${fmt(x.backendMs, x.backendStatus)} vs ${fmt(x.dataMs, x.dataStatus)}${x.ratio ? ` = ${x.ratio >= 1 ? `${x.ratio.toFixed(1)}× faster` : `${(1 / x.ratio).toFixed(1)}× slower`}` : ''}`);
    console.log(`${pair.id}${pair.sameAnswer ? '' : ' (DIFFERENT ANSWERS)'}: ${cells.join(' · ')}`);
  }
  if (r.status !== 0) console.log(`lab compare exited with ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}
