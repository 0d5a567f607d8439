import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLab, type LoadedLab } from '../../src/lab/load.js';
import { lab, scratchDir } from '../helpers.js';

// month4 as a learner meets it: bronze drops in a lake, models built with `lab run`, graded by `lab check`.
describe('month4: a pipeline of models', () => {
  const cwd = scratchDir('e2e-month4');
  let month4: LoadedLab;
  const file = (id: string) => {
    const ex = month4.exercises.find((e) => e.id === id)!;
    return path.join(cwd, 'workspace', 'month4', ex.id, ex.def.file);
  };

  beforeAll(async () => {
    month4 = await loadLab('month4');
  });

  it('lands the bronze drops in the lake', async () => {
    const r = await lab(['up', 'month4'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/seeding small dataset \(seed 42\).*rows\/s/);
    const bronze = path.join(cwd, '.lab', 'month4', 'local', 'data', 'lake', 'bronze');
    expect(fs.readdirSync(path.join(bronze, 'orders')).filter((d) => d.startsWith('dt=2024-')).length).toBeGreaterThan(300);
  });

  it('a model not built yet is named with the command that builds it', async () => {
    const r = await lab(['query', 'month4', 'SELECT count(*) FROM silver.orders'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/hint: +Your models are built by `lab run month4`: run it first \(silver\.orders comes from your silver\.orders\.sql\)/);
  });

  it('runs the templates as a pipeline in dependency order, and grades them as failing', async () => {
    const run = await lab(['run', 'month4'], { cwd });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const built = [...run.stdout.matchAll(/✓ (\S+)/g)].map((m) => m[1]!);
    expect(built.length).toBe(month4.exercises.filter((e) => e.def.kind === 'model').length);
    expect(built.indexOf('silver.orders')).toBeLessThan(built.indexOf('gold.fact_order_lines') === -1 ? Infinity : built.indexOf('gold.fact_order_lines'));
    const check = await lab(['check', 'month4', '--json'], { cwd });
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ lab: 'month4', score: 0, max: month4.exercises.length });
  });

  it('shows each model\'s reference in Trino\'s dialect too, and never applies it over the graded one', async () => {
    for (const ex of month4.exercises.filter((e) => e.def.kind === 'model')) {
      const r = await lab(['solution', 'month4', ex.id, '--engine', 'trino', '--yes'], { cwd });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${ex.id.slice(0, 2)} · ${ex.def.file.replace(/\.sql$/, '')} (reference solution, Trino's dialect`);
    }
    const spark = await lab(['solution', 'month4', '10', '--engine', 'trino'], { cwd });
    expect(spark.code).toBe(1);
    expect(spark.stderr).toMatch(/^error: month4\/10-spark-silver-orders has no reference in trino's dialect\.$/m);
    const noTrino = await lab(['check', 'month4', '--engine', 'trino'], { cwd });
    expect(noTrino.code).toBe(1);
    expect(noTrino.stderr).toMatch(/^error: month4 has no Trino on this runtime: --engine trino grades on the lakehouse stack\.$/m);
    const applied = await lab(['solution', 'month4', '01', '--engine', 'trino', '--apply'], { cwd });
    expect(applied.code).toBe(1);
    expect(fs.readFileSync(file('01-silver-orders'), 'utf8')).toBe(fs.readFileSync(month4.exercises[0]!.templateFile, 'utf8'));
  });

  it('passes with every reference model, and writes Parquet under day partitions', async () => {
    for (const ex of month4.exercises) expect((await lab(['solution', 'month4', ex.id, '--apply'], { cwd })).code).toBe(0);
    const run = await lab(['run', 'month4'], { cwd });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/✓ silver\.orders\s+[\d,]+ rows\s+\d+ files under order_date=…\//);
    const check = await lab(['check', 'month4', '--json'], { cwd });
    const report = JSON.parse(check.stdout);
    expect(report.exercises.filter((e: { passed: boolean }) => !e.passed).map((e: { id: string }) => e.id)).toEqual([]);
    expect(check.code).toBe(0);
    const orders = path.join(cwd, '.lab', 'month4', 'local', 'data', 'lake', 'silver', 'orders');
    expect(fs.readdirSync(orders).every((d) => /^order_date=\d{4}-\d\d-\d\d$/.test(d))).toBe(true);
  });

  it('a broken model fails at its file and line; the models that read it do not run, the others still build', async () => {
    const f = file('01-silver-orders');
    const saved = fs.readFileSync(f, 'utf8');
    fs.writeFileSync(f, '-- @partition_by order_date\nSELECT order_id,\n  FROM bronze.orders\n  WHERE');
    try {
      const r = await lab(['run', 'month4'], { cwd });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✗ silver\.orders\s+month4\/01-silver-orders\/silver\.orders\.sql(:\d+)?: Parser Error/);
      expect(r.stdout).toMatch(/– gold\.dim_date\s+not run: it reads silver\.orders, which did not build/);
      expect(r.stdout).toMatch(/✓ silver\.customers\s+[\d,]+ rows/);
      expect(r.stdout).toMatch(/\d+ of 9 models built; 1 failed, not run: /);
      const check = await lab(['check', 'month4', '01'], { cwd });
      expect(check.stdout).toMatch(/month4\/01-silver-orders\/silver\.orders\.sql:\d+: Parser Error/);
    } finally {
      fs.writeFileSync(f, saved);
    }
  });

  it('an interrupted run leaves nothing that breaks the lake: its work folder is hidden, and removed by the next run', async () => {
    const silver = path.join(cwd, '.lab', 'month4', 'local', 'data', 'lake', 'silver');
    const leftover = path.join(silver, '.orders.writing-999999');
    fs.mkdirSync(path.join(leftover, 'order_date=2024-01-01'), { recursive: true });
    fs.copyFileSync(path.join(silver, 'orders', fs.readdirSync(path.join(silver, 'orders'))[0]!, 'part_0.parquet'), path.join(leftover, 'order_date=2024-01-01', 'part_0.parquet'));
    const q = await lab(['query', 'month4', 'SELECT count(*) AS n FROM silver.orders', '--json'], { cwd });
    expect(q.code, q.stderr).toBe(0);
    const run = await lab(['run', 'month4', 'silver.orders'], { cwd });
    expect(run.code, run.stdout).toBe(0);
    expect(fs.existsSync(leftover)).toBe(false);
  });

  it('a day that is not one, or has no drop, is said before anything runs', async () => {
    const bad = await lab(['run', 'month4', '--day', '2025-13-45'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: Invalid day '2025-13-45'\.$/m);
    const none = await lab(['run', 'month4', 'silver.order_lines', '--day', '2030-01-01'], { cwd });
    expect(none.code, none.stdout).toBe(0);
    expect(none.stderr).toMatch(/warning: no drop of 2030-01-01 has landed/);
  });

  it('one model, or one model with what it reads', async () => {
    const one = await lab(['run', 'month4', 'silver.orders'], { cwd });
    expect(one.code).toBe(0);
    expect([...one.stdout.matchAll(/✓ (\S+)/g)].map((m) => m[1])).toEqual(['silver.orders']);
    const unknown = await lab(['run', 'month4', 'gold.nothing'], { cwd });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/error: No model 'gold\.nothing' in your workspace/);
  });

  it('lands the next day\'s drop, and an incremental run rewrites only that day', async () => {
    const drop = await lab(['drop', 'month4'], { cwd });
    expect(drop.code, drop.stderr).toBe(0);
    const day = /the drop of (\d{4}-\d\d-\d\d) landed in bronze: [\d,]+ orders, [\d,]+ order lines/.exec(drop.stdout)?.[1];
    expect(day).toBeDefined();
    const lines = path.join(cwd, '.lab', 'month4', 'local', 'data', 'lake', 'silver', 'order_lines');
    const before = fs.statSync(path.join(lines, fs.readdirSync(lines).sort()[0]!)).ino;
    const run = await lab(['run', 'month4', 'silver.order_lines', '--day', day!], { cwd });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ silver\.order_lines\s+[\d,]+ rows\s+1 files under order_date=…\/ \(incremental\)/);
    expect(fs.existsSync(path.join(lines, `order_date=${day}`))).toBe(true);
    expect(fs.statSync(path.join(lines, fs.readdirSync(lines).sort()[0]!)).ino).toBe(before); // other days untouched
    const again = await lab(['drop', 'month4'], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/error: No new drop is waiting/);
    const check = await lab(['check', 'month4', '03'], { cwd });
    expect(check.code, check.stdout).toBe(0);
  });
});
