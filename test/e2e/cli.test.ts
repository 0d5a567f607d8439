import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLab, type LoadedLab } from '../../src/lab/load.js';
import { CLI, lab, scratchDir } from '../helpers.js';

let month1: LoadedLab;
beforeAll(async () => {
  month1 = await loadLab('month1');
});

const wsFile = (cwd: string, id: string) => {
  const ex = month1.exercises.find((e) => e.id === id)!;
  return path.join(cwd, 'workspace', 'month1', ex.id, ex.def.file);
};

/** One clear line and a hint, never a stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('a learner\'s journey through month1', () => {
  const cwd = scratchDir('e2e');

  it('lists the lab before anything is started', async () => {
    const r = await lab(['list'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`month1\\s+${month1.exercises.length}\\s+-/${month1.exercises.length}`));
  });

  it('brings month1 up on the local runtime with progress on stderr', async () => {
    const r = await lab(['up', 'month1'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/month1 is up on the local runtime/);
    expect(r.stderr).toMatch(/runtime: local/);
    expect(r.stderr).toMatch(/seeding small dataset \(seed 42\).*rows\/s/);
    for (const ex of month1.exercises) expect(fs.existsSync(wsFile(cwd, ex.id))).toBe(true);
  });

  it('explores the data with lab query, on the engine the checks use', async () => {
    const r = await lab(['query', 'month1', 'SELECT status, count(*) AS n FROM orders GROUP BY ALL ORDER BY n DESC', '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.columns).toEqual(['status', 'n']);
    expect(out.rows.map((row: string[]) => row[0]).sort()).toEqual(['cancelled', 'delivered', 'placed', 'returned', 'shipped']);
    const table = await lab(['query', 'month1', 'SELECT * FROM orders', '--limit', '3'], { cwd });
    expect(table.stdout).toMatch(/^order_id\s+customer_id\s+status/);
    expect(table.stdout).toMatch(/3 of [\d,]+ rows \(--limit to see more\)/);
    const bad = await lab(['query', 'month1', 'SELECT * FROM nope'], { cwd });
    expect(bad.code).toBe(1);
    expectOneLineError(bad.stderr, /Table with name nope does not exist/);
  });

  it('fails every template, with the JSON contract', async () => {
    const r = await lab(['check', 'month1', '--json'], { cwd });
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report)).toEqual(['version', 'lab', 'runtime', 'score', 'max', 'exercises']);
    expect(report).toMatchObject({ version: 1, lab: 'month1', runtime: 'local', score: 0, max: month1.exercises.length });
    for (const ex of report.exercises) {
      expect(Object.keys(ex)).toEqual(['id', 'title', 'files', 'passed', 'checks']);
      expect(ex.files).toEqual([`month1/${ex.id}/${month1.exercises.find((e) => e.id === ex.id)!.def.file}`]);
      expect(ex.passed).toBe(false);
      for (const c of ex.checks) {
        expect(Object.keys(c)).toEqual(['name', 'status', 'passed', 'message']);
        expect(['pass', 'fail', 'error', 'skipped']).toContain(c.status);
        expect(c.passed).toBe(c.status === 'pass' || c.status === 'skipped');
      }
    }
    // A template's query does not run (an empty file) or runs wrong: error or fail, never both for one check.
    const statuses = new Set(report.exercises.flatMap((e: { checks: Array<{ status: string }> }) => e.checks.map((c) => c.status)));
    expect(statuses.has('fail') || statuses.has('error')).toBe(true);
  });

  it('passes with full score once every reference solution is applied', async () => {
    for (const ex of month1.exercises) {
      const r = await lab(['solution', 'month1', ex.id, '--apply'], { cwd });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/your previous file is saved in workspace\/\.backup\//);
    }
    const junit = path.join(cwd, 'report.xml');
    const r = await lab(['check', 'month1', '--json', '--junit', junit], { cwd });
    const report = JSON.parse(r.stdout);
    expect(report.exercises.filter((e: { passed: boolean }) => !e.passed)).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.score).toBe(report.max);
    expect(fs.readFileSync(junit, 'utf8')).toMatch(/<testsuites name="month1" tests="\d+" failures="0" errors="0" skipped="0">/);
    const list = await lab(['list'], { cwd });
    expect(list.stdout).toMatch(new RegExp(`month1\\s+${month1.exercises.length}\\s+${month1.exercises.length}/${month1.exercises.length}\\s+up`));
  });

  it('re-runs only what changed since the last check, and everything with --fresh', async () => {
    const n = month1.exercises.length;
    const same = await lab(['check', 'month1'], { cwd });
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(new RegExp(`${n} of ${n} unchanged since their last check`));
    const ex = month1.exercises.find((e) => e.def.kind === 'sql')!;
    fs.appendFileSync(wsFile(cwd, ex.id), '\n-- a comment changes the file\n');
    const edited = await lab(['check', 'month1'], { cwd });
    expect(edited.stdout).toMatch(new RegExp(`${n - 1} of ${n} unchanged`));
    // A change that breaks it is graded, not reused.
    fs.writeFileSync(wsFile(cwd, ex.id), 'SELECT 1 AS nothing');
    const broken = await lab(['check', 'month1', ex.id], { cwd });
    expect(broken.code).toBe(1);
    fs.copyFileSync(ex.solutionFile, wsFile(cwd, ex.id));
    // A fix in the program (here the Python harness) grades afresh: the grade follows every built file.
    const harness = path.resolve('src', 'services', 'python', 'harness.py');
    const saved = fs.readFileSync(harness, 'utf8');
    expect((await lab(['check', 'month1'], { cwd })).stdout).toMatch(new RegExp(`${n - 1} of ${n} unchanged`));
    try {
      fs.appendFileSync(harness, '\n# a fix in the harness\n');
      const changed = await lab(['check', 'month1'], { cwd });
      expect(changed.code).toBe(0);
      expect(changed.stdout).not.toMatch(/unchanged since/);
    } finally {
      fs.writeFileSync(harness, saved);
    }
    const fresh = await lab(['check', 'month1', '--fresh'], { cwd });
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).not.toMatch(/unchanged since/);
  });

  it('resets the data and keeps the learner\'s files', async () => {
    const file = wsFile(cwd, month1.exercises[0]!.id);
    fs.appendFileSync(file, '\n-- my notes\n');
    const before = fs.readFileSync(file, 'utf8');
    const r = await lab(['reset', 'month1'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/freshly seeded/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    const check = await lab(['check', 'month1', month1.exercises[0]!.id], { cwd });
    expect(check.code).toBe(0);
  });

  it('restores templates with --exercises only after a backup', async () => {
    const file = wsFile(cwd, month1.exercises[0]!.id);
    const mine = fs.readFileSync(file, 'utf8');
    const r = await lab(['reset', 'month1', '--exercises'], { cwd });
    expect(r.code).toBe(0);
    const backup = /saved first in (\S+)\//.exec(r.stdout)![1]!;
    expect(fs.readFileSync(path.join(cwd, backup, 'month1', month1.exercises[0]!.id, month1.exercises[0]!.def.file), 'utf8')).toBe(mine);
    expect(fs.readFileSync(file, 'utf8')).toBe(fs.readFileSync(month1.exercises[0]!.templateFile, 'utf8'));
  });

  it('reports status and goes down without touching files', async () => {
    const status = await lab(['status'], { cwd });
    expect(status.stdout).toMatch(/month1\s+up\s+local runtime · seed 42 \(small\)/);
    expect(status.stdout).toMatch(/duckdb\s+sql\s+ready/);
    const down = await lab(['down', 'month1'], { cwd });
    expect(down.code).toBe(0);
    expect(fs.existsSync(wsFile(cwd, month1.exercises[0]!.id))).toBe(true);
    const check = await lab(['check', 'month1'], { cwd });
    expect(check.code).toBe(1);
    expectOneLineError(check.stderr, /month1 is not up/);
  });
});

describe('bad input: one clear line, a non-zero exit, nothing lost', () => {
  const cwd = scratchDir('bad');
  beforeAll(async () => {
    const r = await lab(['up', 'month1'], { cwd });
    expect(r.code, r.stderr).toBe(0);
  });

  it('unknown lab and unknown exercise', async () => {
    const a = await lab(['up', 'month9'], { cwd });
    expect(a.code).toBe(1);
    expectOneLineError(a.stderr, /Unknown lab 'month9'/);
    expect(a.stderr).toMatch(/hint: +Available labs: month1/);
    const b = await lab(['check', 'month1', '99'], { cwd });
    expect(b.code).toBe(1);
    expectOneLineError(b.stderr, /Unknown exercise '99' in month1/);
  });

  it('invalid seed', async () => {
    const r = await lab(['up', 'month1', '--seed', 'abc'], { cwd });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, /Invalid seed 'abc'/);
  });

  it('a SQL syntax error shows the engine error with file and line', async () => {
    const id = month1.exercises[0]!.id;
    fs.writeFileSync(wsFile(cwd, id), 'SELECT order_id,\n  status\nFRM orders\n');
    const r = await lab(['check', 'month1', id], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`runs on seed 42 \\(small\\): month1/${id}/query\\.sql:3: Parser Error: syntax error at or near "orders"`));
  });

  it('a SQL error names the missing column and the line', async () => {
    const id = month1.exercises[0]!.id;
    fs.writeFileSync(wsFile(cwd, id), 'SELECT order_id,\n  nope\nFROM orders\n');
    const r = await lab(['check', 'month1', id], { cwd });
    expect(r.stdout).toMatch(/query\.sql:2: Binder Error: Referenced column "nope" not found/);
  });

  it('a solution that never ends is stopped with a message', async () => {
    const id = month1.exercises[0]!.id;
    fs.writeFileSync(wsFile(cwd, id), 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)\nSELECT count(*) AS n FROM r\n');
    const r = await lab(['check', 'month1', id, '--timeout', '1'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/stopped after 1 s: the query was still running/);
  });

  it('a file with two statements is refused with the reason', async () => {
    const id = month1.exercises[0]!.id;
    fs.writeFileSync(wsFile(cwd, id), 'SELECT 1;\nSELECT 2;\n');
    const r = await lab(['check', 'month1', id], { cwd });
    expect(r.stdout).toMatch(/found 2 statements; the file must hold one query/);
  });

  it('a Python exception shows its type, message, file and line', async () => {
    const ex = month1.exercises.find((e) => e.def.kind === 'python');
    if (!ex) return;
    fs.writeFileSync(wsFile(cwd, ex.id), 'import pandas as pd\n\n\ndef solve(orders):\n    return orders["no_such_column"]\n');
    const r = await lab(['check', 'month1', ex.id], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`month1/${ex.id}/solution\\.py:5: KeyError: 'no_such_column'`));
  });

  it('a Python row loop fails the vectorization check, pointing at the line', async () => {
    const ex = month1.exercises.find((e) => e.def.kind === 'python');
    if (!ex) return;
    fs.writeFileSync(wsFile(cwd, ex.id), 'import pandas as pd\n\n\ndef solve(orders):\n    rows = []\n    for _, row in orders.iterrows():\n        rows.append(row)\n    return pd.DataFrame(rows)\n');
    const r = await lab(['check', 'month1', ex.id], { cwd });
    expect(r.stdout).toMatch(/vectorized: no row loops: month1\/\S+\/solution\.py:6: a `for` loop iterates row by row/);
  });

  it('a Python solution that never ends is stopped', async () => {
    const ex = month1.exercises.find((e) => e.def.kind === 'python');
    if (!ex) return;
    fs.writeFileSync(wsFile(cwd, ex.id), 'import time\n\n\ndef solve(orders):\n    time.sleep(600)\n');
    const r = await lab(['check', 'month1', ex.id, '--timeout', '2'], { cwd });
    expect(r.stdout).toMatch(/stopped after 2 s: solve\(\) was still running/);
    fs.copyFileSync(ex.templateFile, wsFile(cwd, ex.id));
  });

  it('a deleted workspace file is reported, then re-created on request and listed', async () => {
    const id = month1.exercises[1]?.id ?? month1.exercises[0]!.id;
    fs.rmSync(wsFile(cwd, id));
    const r = await lab(['check', 'month1', id], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/is missing: run `lab up month1` to re-create it from the template/);
    expect(fs.existsSync(wsFile(cwd, id))).toBe(false);
    const up = await lab(['up', 'month1'], { cwd });
    expect(up.stdout).toMatch(new RegExp(`re-created from its template \\(it was missing\\): workspace/month1/${id}/`));
    expect(fs.existsSync(wsFile(cwd, id))).toBe(true);
  });

  it('a corrupt state file is one line with the fix, and the workspace is untouched', async () => {
    const state = path.join(cwd, '.lab', 'state.json');
    const saved = fs.readFileSync(state, 'utf8');
    fs.writeFileSync(state, '{ not json');
    const r = await lab(['status'], { cwd });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, /The lab state file \.lab\/state\.json is corrupt/);
    expect(r.stderr).toMatch(/hint: +Move it aside/);
    fs.writeFileSync(state, saved);
  });

  it('hints are revealed one at a time', async () => {
    const id = month1.exercises[0]!.id;
    const n = month1.exercises[0]!.hints.length;
    const first = await lab(['hint', 'month1', id], { cwd });
    expect(first.stdout).toMatch(new RegExp(`Hint 1 of ${n}`));
    expect(first.stdout).not.toMatch(/Hint 2 of/);
    const second = await lab(['hint', 'month1', id], { cwd });
    expect(second.stdout).toMatch(new RegExp(`Hint 2 of ${n}`));
    expect(second.stdout).not.toMatch(/Hint 1 of/);
    const all = await lab(['hint', 'month1', id, '--all'], { cwd });
    expect(all.stdout).toMatch(/Hint 1 of[\s\S]*Hint 2 of/);
  });

  it('a machine without Python gets one line saying what to install', async () => {
    const env = { LAB_PYTHON: '/nonexistent/python3', LAB_VENVS: path.join(scratchDir('novenv'), 'venvs') };
    const r = await lab(['up', 'month1'], { cwd: scratchDir('nopython'), env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: Python 3 was not found \(tried `\/nonexistent\/python3`\)\.\nhint: +Install Python 3\.9\+/);
    const doctor = await lab(['doctor', 'month1'], { cwd, env });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/✗ Python 3\.9\+ with venv\s+\/nonexistent\/python3 not found\n\s+fix: Install Python 3/);
  });

  it('the docker runtime without an engine is one line pointing at --runtime local', async () => {
    const env = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const r = await lab(['up', 'month1', '--runtime', 'docker'], { cwd: scratchDir('noengine'), env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\nerror: The container engine at \/nonexistent\/docker\.sock \(DOCKER_HOST\) does not answer[^\n]*\nhint: [^\n]*--runtime local[^\n]*\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const remote = await lab(['up', 'month1', '--runtime', 'cloud'], { cwd: scratchDir('badruntime') });
    expectOneLineError(remote.stderr, /Unknown runtime 'cloud'/);
  });

  it('the remote runtime without endpoints names the variables to set', async () => {
    const r = await lab(['up', 'month1', '--runtime', 'remote'], { cwd: scratchDir('noremote'), env: { LAB_REMOTE_NAMESPACE: 'alice' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\nerror: month1 on the remote runtime needs a postgres endpoint[^\n]*\nhint: +Set LAB_REMOTE_POSTGRES_URL \(credentials: LAB_REMOTE_POSTGRES_PASSWORD\)/);
  });

  it('check before up, in a fresh folder, says how to start', async () => {
    const r = await lab(['check', 'month1'], { cwd: scratchDir('fresh') });
    expect(r.code).toBe(1);
    expectOneLineError(r.stderr, /month1 is not up/);
  });

  it('doctor reports the machine and exits 0 when month1 can run', async () => {
    const r = await lab(['doctor', 'month1'], { cwd });
    expect(r.stdout).toMatch(/✓ Node\.js 20\+/);
    expect(r.stdout).toMatch(/Python 3\.9\+ with venv/);
    expect(r.stdout).toMatch(/free memory/);
    // Optional tools are reported, never required: the local runtime needs none of them.
    expect(r.stdout).toMatch(/[✓!] image build tools \(lab images build only\)/);
    expect(r.code).toBe(0);
  });

  it('every verb teaches with --help', async () => {
    for (const verb of ['list', 'doctor', 'up', 'status', 'check', 'hint', 'watch', 'solution', 'reset', 'down', 'run', 'query', 'drop', 'logs', 'images build', 'dev check', 'diff', 'restore']) {
      const r = await lab([...verb.split(' '), '--help'], { cwd });
      expect(r.code).toBe(0);
      expect(r.stdout, verb).toMatch(/Examples:\n\s+\$ lab /);
    }
  });

  it('watch re-grades an exercise when its file is saved', async () => {
    const ex = month1.exercises[0]!;
    fs.copyFileSync(ex.templateFile, wsFile(cwd, ex.id));
    const child = spawn(process.execPath, [CLI, 'watch', 'month1', '--timeout', '20'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const waitFor = async (re: RegExp, ms = 120_000) => {
      const t0 = Date.now();
      while (!re.test(out)) {
        if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${re}; output:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await waitFor(/watching workspace\/month1\//);
      expect(out).toMatch(new RegExp(`✗ ${ex.id}`));
      fs.copyFileSync(ex.solutionFile, wsFile(cwd, ex.id));
      await waitFor(new RegExp(`✓ ${ex.id}`));
    } finally {
      child.kill('SIGINT');
    }
    await new Promise((r) => child.on('close', r));
  });
});
