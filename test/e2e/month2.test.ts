import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/pids.js';
import { freePort } from '../../src/runtime/local/processes.js';
import { lab, scratchDir } from '../helpers.js';

// month2 by hand, as a learner meets it: Prefect's server from the lab venv, a flow run with `lab run`, its history.
describe('month2: Prefect on the local runtime, flows run by hand', () => {
  const cwd = scratchDir('e2e-month2');
  const env: Record<string, string> = {};
  const exerciseFile = (id: string) => path.join(cwd, 'workspace', 'month2', id, 'flow.py');
  const serverPid = () => (JSON.parse(fs.readFileSync(path.join(cwd, '.lab', 'month2', 'local', 'services', 'prefect', 'process.json'), 'utf8')) as { pid: number }).pid;

  beforeAll(async () => {
    env.LAB_LOCAL_PREFECT_PORT = String(await freePort());
    const up = await lab(['up', 'month2'], { cwd, env, timeoutMs: 900_000 });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout + up.stderr).toMatch(new RegExp(`prefect: starting on 127\\.0\\.0\\.1:${env.LAB_LOCAL_PREFECT_PORT}`));
  }, 900_000);

  afterAll(async () => {
    await lab(['down', 'month2'], { cwd, env });
  }, 60_000);

  it('lab status names the server and its API', async () => {
    const r = await lab(['status', 'month2'], { cwd, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`prefect.*http://127\\.0\\.0\\.1:${env.LAB_LOCAL_PREFECT_PORT}/api`));
  });

  it('the cron-style template run twice appends: lab run shows each day in two files', async () => {
    const args = ['run', 'month2', '01', '--from', '2024-03-01', '--to', '2024-03-02'];
    const first = await lab(args, { cwd, env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/✓ flow run [0-9a-f-]+ over 2024-03-01\.\.2024-03-02: COMPLETED/);
    expect(first.stdout).toContain('no task runs: the work ran in the flow itself');
    const second = await lab(args, { cwd, env });
    expect(second.stdout).toMatch(/2 partitions in .*daily_revenue: 03-01 2 rows in 2 files, 03-02 2 rows in 2 files/);
  }, 120_000);

  it('the reference of 02 retries the days the source fails on, and Prefect recorded each retry', async () => {
    fs.copyFileSync(path.resolve('labs/month2/exercises/02-flow-retries/solution/flow.py'), exerciseFile('02-flow-retries'));
    const r = await lab(['run', 'month2', '02'], { cwd, env });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // The dataset's three transient days: two fail twice, one once.
    expect(r.stdout.match(/Completed\s+ran 3×/g)).toHaveLength(2);
    expect(r.stdout.match(/Completed\s+ran 2×/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/10 partitions in /);
  }, 120_000);

  it('a flow that raises is a failed run with its task named, exit 1; bad input is one line', async () => {
    // The template of 03 reads the late day at once: NotLanded fails its task, and the run.
    const r = await lab(['run', 'month2', '03'], { cwd, env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ flow run .*: FAILED/);
    expect(r.stdout).toMatch(/✗ daily_revenue-\w+\s+Failed/);
    const half = await lab(['run', 'month2', '04', '--from', '2024-03-02'], { cwd, env });
    expect(half.code).toBe(1);
    expect(half.stderr).toMatch(/^error: Give both --from and --to \(or neither, for every day\)\.\nhint: /);
    const bad = await lab(['run', 'month2', '04', '--from', '2024-02-30', '--to', '2024-03-02'], { cwd, env });
    expect(bad.stderr).toMatch(/^error: Invalid day '2024-02-30' for --from\./);
    const broken = exerciseFile('04-flow-backfill');
    fs.writeFileSync(broken, 'from prefect import flow\n\n@flow\ndef pipeline(start, end):\n    return (\n');
    const syntax = await lab(['run', 'month2', '04'], { cwd, env });
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/^error: month2\/04-flow-backfill\/flow\.py:5: SyntaxError: /);
  }, 240_000);

  it('lab down stops the server', async () => {
    const pid = serverPid();
    expect(isAlive(pid)).toBe(true);
    const down = await lab(['down', 'month2'], { cwd, env });
    expect(down.code, down.stderr).toBe(0);
    expect(isAlive(pid)).toBe(false);
  }, 60_000);
});
