import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lab, scratchDir } from '../helpers.js';

// month3 as a learner meets it: a dbt project built by hand and graded, errors as file:line, a
// snapshot's history across the two loads, and a table-format exercise judged on its metadata.
describe('month3: dbt and table formats on the local runtime', () => {
  const cwd = scratchDir('e2e-month3');
  const file = (id: string, name: string) => path.join(cwd, 'workspace', 'month3', id, name);
  const reference = (id: string, name: string) => fs.copyFileSync(path.resolve('labs/month3/exercises', id, 'solution', name), file(id, name));

  beforeAll(async () => {
    const up = await lab(['up', 'month3'], { cwd, timeoutMs: 900_000 });
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/workspace: .*month3\/ \(11 exercises\)/);
  }, 900_000);

  it('the remote runtime is refused in one line, saying why and what to run', async () => {
    const r = await lab(['up', 'month3', '--runtime', 'remote'], { cwd: scratchDir('e2e-month3-remote') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: month3 runs on the local and docker runtimes only, for now: grading dbt creates a database per run.*\nhint: +Run `lab up month3 --runtime local`\.\n?$/);
  });

  it('lab run builds the templates as a dbt project: every node, where it came from', async () => {
    const r = await lab(['run', 'month3'], { cwd });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ model +stg_customers +month3\/01-dbt-staging-customers\/stg_customers\.sql/);
    expect(r.stdout).toMatch(/✓ model +stg_orders +models\/staging\/stg_orders\.sql/);
    expect(r.stdout).toMatch(/✓ snapshot customers_snapshot/);
    expect(r.stdout).toMatch(/9 of 9 nodes ok on load 1/);
  }, 180_000);

  it("a model dbt cannot build is its file and line, in lab run and in lab check; the nodes reading it are not run", async () => {
    fs.writeFileSync(file('01-dbt-staging-customers', 'stg_customers.sql'), "-- staging\nselect\n    customer_id,\n    upper(trim(country)) as country\n    segment\nfrom {{ source('shop', 'customers') }}\n");
    const run = await lab(['run', 'month3'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ model +stg_customers +month3\/01-dbt-staging-customers\/stg_customers\.sql:5: Parser Error: syntax error at or near "segment"/);
    expect(run.stdout).toMatch(/– model +dim_customers .*not run: it reads a node that did not build/);
    const check = await lab(['check', 'month3', '01'], { cwd });
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/month3\/01-dbt-staging-customers\/stg_customers\.sql:5: Parser Error: syntax error at or near "segment"/);
    fs.writeFileSync(file('01-dbt-staging-customers', 'stg_customers.sql'), "select *\nfrom {{ source('shop', 'customers') }\n");
    const jinja = await lab(['check', 'month3', '01'], { cwd });
    expect(jinja.stdout).toMatch(/stg_customers\.sql:2: Compilation Error in model stg_customers: unexpected '\}'/);
  }, 240_000);

  it('the staging template fails for the traps the statement names; the reference passes on both seeds', async () => {
    fs.copyFileSync(path.resolve('labs/month3/exercises/01-dbt-staging-customers/template/stg_customers.sql'), file('01-dbt-staging-customers', 'stg_customers.sql'));
    const wrong = await lab(['check', 'month3', '01'], { cwd });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toMatch(/✗ stg_customers: one row per \(customer_id\).*stg_customers has keys more than once/);
    reference('01-dbt-staging-customers', 'stg_customers.sql');
    const right = await lab(['check', 'month3', '01'], { cwd });
    expect(right.code, right.stdout).toBe(0);
    expect(right.stdout).toMatch(/✓ 01-dbt-staging-customers/);
  }, 240_000);

  it('tests as contracts: a missing test is named by the fault it let through', async () => {
    const yml = fs.readFileSync(path.resolve('labs/month3/exercises/04-dbt-tests-as-contracts/wrong/no-relationships.yml'), 'utf8');
    fs.writeFileSync(file('04-dbt-tests-as-contracts', '_marts.yml'), yml);
    const r = await lab(['check', 'month3', '04'], { cwd });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1 of 6 planted faults pass every test: a line pointing at a customer the dimension lacks \(fct_order_lines\.customer_key\)/);
  }, 240_000);

  it('a snapshot by hand: --load 1 then --load 2 into the same warehouse; bad input is one line', async () => {
    reference('06-dbt-snapshot-scd2', 'customers_snapshot.sql');
    expect((await lab(['run', 'month3', 'customers_snapshot', '--load', '1'], { cwd })).code).toBe(0);
    const second = await lab(['run', 'month3', '+customers_snapshot', '--load', '2'], { cwd });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/nodes ok on load 2/);
    const bad = await lab(['run', 'month3', '--load', '3'], { cwd });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: there are 2 loads: --load 1 to 2\n/);
    const flag = await lab(['run', 'month3', '--day', '2024-05-01'], { cwd });
    expect(flag.stderr).toMatch(/^error: --day is not for the dbt lab\./);
  }, 240_000);

  it('a table-format exercise is judged on its metadata: the right rows in a rewritten table fail', async () => {
    fs.copyFileSync(path.resolve('labs/month3/exercises/07-iceberg-overwrite-one-day/wrong/rewrites-every-day.py'), file('07-iceberg-overwrite-one-day', 'solution.py'));
    const wrong = await lab(['check', 'month3', '07'], { cwd });
    expect(wrong.code).toBe(1);
    // The rows are right (no check on them fails): only the metadata tells.
    expect(wrong.stdout).not.toMatch(/same rows as the reference/);
    expect(wrong.stdout).toMatch(/✗ only 1 partition rewritten · seed 42 \(small\): 12 partitions got new data files to replace the restated day/);
    reference('07-iceberg-overwrite-one-day', 'solution.py');
    const right = await lab(['check', 'month3', '07'], { cwd });
    expect(right.code, right.stdout).toBe(0);
  }, 240_000);
});
