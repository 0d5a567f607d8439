/**
 * `npm run bench` (second part): month4 on the local runtime, at medium and large.
 *   seed + ready:   `lab up month4 --scale <s>` (a year of bronze drops written to the lake)
 *   pipeline:       `lab run month4` with every reference model applied (silver and gold as Parquet)
 * Targets on a 2-core machine: large seed ≤ 30 s, full reference pipeline ≤ 60 s, peak memory ≤ 4 GiB.
 * `BENCH_SCALES=medium` limits the scales (large writes ~2 GB of bronze).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = path.join(root, 'dist', 'src', 'cli.js');
const scales = (process.env.BENCH_SCALES ?? 'medium,large').split(',');
const env = { ...process.env, NO_COLOR: '1' };
const GiB = 1024 ** 3;

function lab(cwd: string, args: string[]): { ms: number; peakBytes: number; stdout: string } {
  const t0 = performance.now();
  const timed = fs.existsSync('/usr/bin/time');
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    : spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (r.status !== 0) {
    process.stderr.write(`lab ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}\n`);
    process.exit(1);
  }
  return { ms, peakBytes: timed ? Number(/(\d+)\s*$/.exec(r.stderr)?.[1] ?? 0) * 1024 : 0, stdout: r.stdout };
}

const rows: Array<{ what: string; ms: number; peakBytes: number; target?: number }> = [];
// Warm-up, untimed: creates the lab's venv (pyspark) if it is not there yet.
{
  const warm = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-m4-warm-'));
  lab(warm, ['up', 'month4', '--scale', 'small']);
  fs.rmSync(warm, { recursive: true, force: true });
}
const exercises = fs.readdirSync(path.join(root, 'labs', 'month4', 'exercises')).sort();
for (const scale of scales) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), `lab-bench-m4-${scale}-`));
  process.stderr.write(`month4 ${scale} in ${cwd}\n`);
  const up = lab(cwd, ['up', 'month4', '--scale', scale]);
  rows.push({ what: `lab up month4 --scale ${scale} (seed + ready)`, ...up, target: scale === 'large' ? 30_000 : undefined });
  for (const id of exercises) lab(cwd, ['solution', 'month4', id, '--apply']);
  const run = lab(cwd, ['run', 'month4']);
  rows.push({ what: `lab run month4, ${scale} (reference pipeline, ${exercises.length} models)`, ...run, target: scale === 'large' ? 60_000 : undefined });
  fs.rmSync(cwd, { recursive: true, force: true });
}

console.log(`\nmonth4 benchmark, local runtime, ${os.cpus().length} cores\n`);
console.log(`${'what'.padEnd(58)} ${'time'.padStart(9)} ${'peak RSS'.padStart(10)}`);
for (const r of rows) {
  const time = r.target === undefined ? '' : r.ms <= r.target ? `  ✓ ≤ ${r.target / 1000} s` : `  ✗ target ≤ ${r.target / 1000} s`;
  const mem = r.peakBytes === 0 ? '' : r.peakBytes <= 4 * GiB ? '  ✓ ≤ 4 GiB' : '  ✗ memory target ≤ 4 GiB';
  console.log(`${r.what.padEnd(58)} ${(r.ms / 1000).toFixed(2).padStart(7)} s ${(r.peakBytes / 1024 ** 2).toFixed(0).padStart(6)} MiB${time}${mem}`);
}
