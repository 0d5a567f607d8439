import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLab, type LoadedLab } from '../../src/lab/load.js';
import { lab, scratchDir } from '../helpers.js';

// month1 as a learner meets it: messages that name the mistake, no broken state after an
// interrupt or a race, and bad input that is one line and exit 1.
let month1: LoadedLab;
const cwd = scratchDir('walkthrough');
const file = (id: string) => {
  const ex = month1.exercises.find((e) => e.id.startsWith(id))!;
  return path.join(cwd, 'workspace', 'month1', ex.id, ex.def.file);
};
const reference = (id: string) => fs.readFileSync(month1.exercises.find((e) => e.id.startsWith(id))!.solutionFile, 'utf8');

/** One clear line and a hint, never a stack trace, exit 1. */
function expectOneLine(r: { code: number; stderr: string }, pattern: RegExp) {
  expect(r.code, r.stderr).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines.length).toBeLessThanOrEqual(2);
}

beforeAll(async () => {
  month1 = await loadLab('month1');
  const up = await lab(['up', 'month1'], { cwd });
  expect(up.code, up.stderr).toBe(0);
});

describe('messages that name the mistake', () => {
  it('a check of one passing exercise points at the lab\'s first failing one, not "well done"', async () => {
    fs.copyFileSync(month1.exercises[7]!.solutionFile, file('08'));
    const r = await lab(['check', 'month1', '08'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/well done/);
    expect(r.stdout).toMatch(/score 1\/1 .* · 1\/13 of month1 pass/);
    expect(r.stdout).toMatch(/next: 01-dedupe-orders/);
  });

  it('repeated keys are named: which key, how often, against the reference', async () => {
    fs.writeFileSync(file('10'), 'SELECT customer_id, email, country, segment FROM customers\n-- QUALIFY is missing\n');
    const r = await lab(['check', 'month1', '10'], { cwd });
    expect(r.stdout).toMatch(/unique key \(customer_id\)/);
    expect(r.stdout).toMatch(/customer_id \d+ appears twice \(2 rows where the reference has 1\), and [\d,]+ more customer_ids repeat: deduplicate, so each customer_id is one row/);
  });

  it('lab diff shows the learner\'s rows against the expected ones, differing cells marked, a page at a time', async () => {
    fs.copyFileSync(path.join(month1.exercises[2]!.dir, 'wrong', 'no-calendar.sql'), file('03'));
    const r = await lab(['diff', 'month1', '03', '--limit', '3'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/month1\/03-running-revenue on seed 42 \(small\): 366 rows expected, 364 yours/);
    expect(r.stdout).toMatch(/^- +'2024-03-17' +0\.00 /m); // the quiet day, missing from the learner's rows
    expect(r.stdout).toMatch(/^\+ .*\*/m);
    expect(r.stdout).toMatch(/more: `lab diff month1 03-running-revenue --offset 3`/);
    fs.writeFileSync(file('03'), reference('03'));
    const same = await lab(['diff', 'month1', '03'], { cwd });
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/the same rows as the reference/);
  });

  it('a reference is the answer: asked for on a terminal, refused elsewhere without --yes', async () => {
    expectOneLine(await lab(['solution', 'month1', '01'], { cwd }), /prints the whole reference solution of month1\/01-dedupe-orders: the answer/);
    const yes = await lab(['solution', 'month1', '01', '--yes'], { cwd });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain(reference('01').trimEnd());
  });

  it('PIVOT without an IN list is one query, as DuckDB runs it', async () => {
    fs.writeFileSync(file('09'), `WITH current_orders AS (SELECT order_id, status, date_trunc('month', ordered_at)::DATE AS month FROM orders
  QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) = 1)
SELECT month, placed, shipped, delivered, returned, cancelled FROM (PIVOT current_orders ON status USING count(*) GROUP BY month) ORDER BY month\n`);
    const r = await lab(['check', 'month1', '09', '--json'], { cwd });
    const checks = JSON.parse(r.stdout).exercises[0].checks as Array<{ name: string; status: string; message: string }>;
    expect(checks.filter((c) => /statements/.test(c.message))).toEqual([]);
    expect(checks.find((c) => c.name.startsWith('runs on'))).toBeUndefined();
  });

  it('Python: what solve() prints is shown; a loop over a few literal names is not a row loop; a SyntaxError is the file\'s error, with its line', async () => {
    const rfm = file('11');
    const solution = reference('11').replace('def solve(orders, order_items):', 'def solve(orders, order_items):\n    print("rows in:", len(orders))\n    for name, kind in [("frequency", "int"), ("monetary", "float")]:\n        pass');
    fs.writeFileSync(rfm, solution);
    const ok = await lab(['check', 'month1', '11'], { cwd });
    expect(ok.code, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/printed \(your seed\):\n\s+│ rows in: \d+/);
    fs.writeFileSync(rfm, 'import pandas as pd\n\ndef solve(orders:\n    return orders\n');
    const broken = await lab(['check', 'month1', '11', '--json'], { cwd });
    const checks = JSON.parse(broken.stdout).exercises[0].checks as Array<{ name: string; status: string; message: string }>;
    expect(checks.find((c) => c.name === 'vectorized: no row loops')).toMatchObject({ status: 'skipped' });
    expect(checks.find((c) => c.name.startsWith('runs on'))).toMatchObject({ status: 'error', message: expect.stringMatching(/month1\/11-pandas-rfm\/solution\.py:3: SyntaxError: /) });
  });

  it('a Python time limit is kept: stopped after the limit, also in code that never returns to the interpreter', async () => {
    fs.writeFileSync(file('13'), 'import re\n\n\ndef solve(orders):\n    re.match(r"(a+)+b", "a" * 40)\n    return orders\n');
    const t0 = Date.now();
    const r = await lab(['check', 'month1', '13', '--timeout', '3'], { cwd });
    expect(r.stdout).toMatch(/stopped after 3 s: solve\(\) was still running/);
    // The limit said is the one kept: 3 s and a grace of 2, not the old limit × datasets + 10 s.
    expect(Date.now() - t0).toBeLessThan(15_000);
    fs.writeFileSync(file('13'), reference('13'));
  });
});

describe('no broken state after an interrupt or a race', () => {
  it('a reset refuses while a check uses the data, and a check waits while a reset rewrites it', async () => {
    const holder = spawn('sleep', ['30']);
    const locks = path.join(cwd, '.lab', 'month1', 'locks');
    try {
      fs.mkdirSync(locks, { recursive: true });
      fs.writeFileSync(path.join(locks, `read-${holder.pid}`), 'lab check month1');
      expectOneLine(await lab(['reset', 'month1'], { cwd }), new RegExp(`\`lab check month1\` \\(pid ${holder.pid}\\) is using month1's data`));
      fs.renameSync(path.join(locks, `read-${holder.pid}`), path.join(locks, `write-${holder.pid}`));
      fs.writeFileSync(path.join(locks, `write-${holder.pid}`), 'lab reset month1');
      // The reset's lock goes once the check says it waits (a fixed pause raced a slow start on a busy machine).
      const lift = () => fs.rmSync(path.join(locks, `write-${holder.pid}`), { force: true });
      const safety = setTimeout(lift, 60_000);
      const r = await lab(['check', 'month1', '01'], { cwd, onStderr: (soFar) => soFar.includes('waiting for it to finish') && lift() });
      clearTimeout(safety);
      expect(r.stderr).toMatch(/`lab reset month1` \(pid \d+\) is rewriting month1's data: waiting for it to finish/);
      expect(r.stdout).toMatch(/01-dedupe-orders/);
    } finally {
      holder.kill();
    }
  });

  it('an interrupted seeding leaves nothing behind for good: the next up removes what a dead process left', async () => {
    const leftover = path.join(cwd, '.lab', 'month1', 'local', 'data.seeding-999999');
    fs.mkdirSync(leftover, { recursive: true });
    const r = await lab(['reset', 'month1'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(leftover)).toBe(false);
  });

  it('status after down says what is kept, not ready; down --purge on a lab already down still deletes its data', async () => {
    expect((await lab(['down', 'month1'], { cwd })).code).toBe(0);
    const status = await lab(['status', 'month1'], { cwd });
    expect(status.stdout).toMatch(/duckdb\s+sql\s+kept/);
    expect(status.stdout).not.toMatch(/\bready\b/);
    const purge = await lab(['down', 'month1', '--purge'], { cwd });
    expect(purge.code).toBe(0);
    expect(purge.stdout).toMatch(/month1 was already down; removed its data: \.lab\/month1\/local/);
    expect(fs.existsSync(path.join(cwd, '.lab', 'month1', 'local'))).toBe(false);
    expect(fs.existsSync(file('01'))).toBe(true);
    expect((await lab(['up', 'month1'], { cwd })).code).toBe(0);
  });
});

describe('bad input is one line and exit 1', () => {
  it('a query file that is not there, a query that writes, and --json on an error', async () => {
    expectOneLine(await lab(['query', 'month1', '-f', 'nope.sql'], { cwd }), /^error: No file nope\.sql\.$/);
    expectOneLine(await lab(['query', 'month1', 'DELETE FROM orders'], { cwd }), /lab query is read-only: it runs SELECT .*, not DELETE/);
    const json = await lab(['check', 'month1', 'nothing-like-it', '--json'], { cwd });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ version: 1, error: { message: "Unknown exercise 'nothing-like-it' in month1.", hint: expect.any(String) } });
  });

  it('query --csv prints rows whole, --wide does not cut them', async () => {
    const csv = await lab(['query', 'month1', "SELECT 'a,b' AS x, repeat('y', 60) AS long", '--csv'], { cwd });
    expect(csv.stdout.split('\n').slice(0, 2)).toEqual(['x,long', `"a,b",${'y'.repeat(60)}`]);
    const wide = await lab(['query', 'month1', "SELECT repeat('y', 60) AS long", '--wide'], { cwd });
    expect(wide.stdout).toContain('y'.repeat(60));
    const cut = await lab(['query', 'month1', "SELECT repeat('y', 60) AS long"], { cwd });
    expect(cut.stdout).toMatch(/y+… *\n/);
    expect(cut.stdout).toMatch(/--wide shows them whole/);
  });

  it('an exercise by a part of its name, and "did you mean" for a slip', async () => {
    const r = await lab(['hint', 'month1', 'dedupe'], { cwd });
    expect(r.stdout).toMatch(/01-dedupe-orders/);
    const slip = await lab(['check', 'month1', 'sesionize'], { cwd });
    expectOneLine(slip, /Unknown exercise 'sesionize' in month1/);
    expect(slip.stderr).toMatch(/hint: +Did you mean 06-sessionize\?/);
  });

  it('a reset naming exercises without --exercises is refused, and says which command does what', async () => {
    const r = await lab(['reset', 'month1', '03'], { cwd });
    expectOneLine(r, /names exercises, but a reset without --exercises reseeds the data/);
    expect(r.stderr).toMatch(/lab reset month1 03 --exercises/);
  });

  it('an unknown lab is one line naming the labs there are; --version prints the version', async () => {
    const unknown = await lab(['up', 'month9'], { cwd });
    expectOneLine(unknown, /Unknown lab 'month9'\./);
    expect(unknown.stderr).toMatch(/month1, month2, month3, month4, month5, month6/);
    const v = await lab(['--version'], { cwd });
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('smaller things a learner tripped over', () => {
  it('up keeps the seed and scale of the last up, and says so', async () => {
    const dir = scratchDir('keep-seed');
    expect((await lab(['up', 'month1', '--seed', '7'], { cwd: dir })).code).toBe(0);
    const again = await lab(['up', 'month1'], { cwd: dir });
    expect(again.stderr).toMatch(/seed 7, small \(kept from your last up; --seed\/--scale to change\)/);
    expect(again.stdout).toMatch(/\(seed 7, small\)/);
  });

  it('--workspace: the real paths, and new files are created, not "missing"', async () => {
    const r = await lab(['--workspace', 'elsewhere', 'up', 'month1'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/workspace: elsewhere\/month1\//);
    expect(r.stdout).not.toMatch(/missing/);
    expect(r.stdout).toMatch(/next: open elsewhere\/month1\/01-dedupe-orders/);
    expect(fs.existsSync(path.join(cwd, 'elsewhere', 'month1', '01-dedupe-orders', 'query.sql'))).toBe(true);
  });

  it('restore puts back the files a backup holds, after backing up the current ones', async () => {
    const mine = '-- my own attempt\nSELECT 1 AS order_id\n';
    fs.writeFileSync(file('01'), mine);
    expect((await lab(['solution', 'month1', '01', '--apply'], { cwd })).code).toBe(0);
    const list = await lab(['restore', 'month1', '--list'], { cwd });
    expect(list.stdout).toMatch(/month1\/01-dedupe-orders\/query\.sql/);
    const r = await lab(['restore', 'month1'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readFileSync(file('01'), 'utf8')).toBe(mine);
    expect(r.stdout).toMatch(/the files they replaced are saved in workspace\/\.backup\//);
  });
});
