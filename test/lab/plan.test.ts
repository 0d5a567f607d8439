import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expectBroadcastJoin, expectCacheReused, expectPlan, expectPlanLacks, expectSkewHandled } from '../../src/lab/checks.js';
import type { PythonRunContext, ResultCheck } from '../../src/lab/define.js';
import { isSkewJoin, joinKeys, planNodes, projectedColumns, readsTable, sourceColumns, subtree } from '../../src/lab/plan.js';

// Executed plans as the harness recorded them from Spark 3.5.3 (local[2]) for month2's exercises
// 07–10 and a few other fixes of 09 (paths shortened): the status store's text of the write's final
// adaptive plan, with its initial plan below it.
const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'spark-plans');
const plan = (name: string) => fs.readFileSync(path.join(DIR, `${name}.txt`), 'utf8');

async function grade(check: ResultCheck<PythonRunContext>, name: string | undefined) {
  const ctx = { dataset: 'seed 42 (small)', hidden: false, learnerTable: 'learner', referenceTable: 'reference', plan: name === undefined ? undefined : plan(name) } as unknown as PythonRunContext;
  return check.run(ctx);
}

describe('planNodes reads the final plan only', () => {
  it('leaves out the initial plan, and a cached relation\'s own initial plan', () => {
    const text = plan('skew-join-split');
    // The initial plan has a SortMergeJoin without the split; only the final one counts.
    expect(text.match(/SortMergeJoin/g)).toHaveLength(2);
    const joins = planNodes(text).filter((n) => n.name === 'SortMergeJoin');
    expect(joins).toHaveLength(1);
    expect(isSkewJoin(joins[0]!)).toBe(true);
    expect(joins[0]!.text).toMatch(/^SortMergeJoin\(skew=true\) \[customer_id#\d+\], \[customer_id#\d+\], Inner, /);

    const cached = planNodes(plan('cached'));
    expect(cached.filter((n) => n.name === 'InMemoryTableScan')).toHaveLength(2);
    // Each cached relation holds its plan once (its final plan), with the deduplication's shuffle.
    const relations = cached.flatMap((n, i) => (n.name === 'InMemoryRelation' ? [i] : []));
    expect(relations).toHaveLength(2);
    for (const i of relations) expect(subtree(cached, i).filter((n) => /^Exchange hashpartitioning\(order_id#/.test(n.text))).toHaveLength(1);
    expect(cached.some((n) => n.text.startsWith('=='))).toBe(false);
  });

  it('strips the tree drawing and the codegen stage', () => {
    const nodes = planNodes(plan('broadcast-join'));
    expect(nodes[0]).toMatchObject({ col: 0, name: 'AdaptiveSparkPlan', text: 'AdaptiveSparkPlan isFinalPlan=true' });
    const join = nodes.find((n) => n.name === 'BroadcastHashJoin')!;
    expect(join.text).toMatch(/^BroadcastHashJoin \[customer_id#\d+\], \[customer_id#\d+\], LeftOuter, BuildRight, false$/);
    expect(joinKeys(join).left).toEqual([expect.stringMatching(/^customer_id#\d+$/)]);
  });

  it('says which table a node reads, and what a computed join key is made of', () => {
    const nodes = planNodes(plan('broadcast-join'));
    const exchange = nodes.findIndex((n) => n.name === 'BroadcastExchange');
    expect(readsTable(nodes, exchange, 'customers')).toBe(true);
    expect(readsTable(nodes, exchange, 'events')).toBe(false);

    const salted = planNodes(plan('concat-salted-join'));
    const join = salted.find((n) => n.name === 'SortMergeJoin')!;
    const { left } = joinKeys(join);
    expect(left).toEqual([expect.stringMatching(/^k#\d+$/)]);
    expect(sourceColumns(left[0]!, projectedColumns(salted)).sort()).toEqual(['customer_id', 'event_id']);
  });
});

describe('expectBroadcastJoin', () => {
  const check = expectBroadcastJoin({ small: 'customers', why: 'use F.broadcast' });
  it('passes a BroadcastHashJoin over a BroadcastExchange of customers', async () => {
    expect(await grade(check, 'broadcast-join')).toMatchObject({ status: 'pass', message: expect.stringContaining('BroadcastHashJoin [customer_id#') });
  });
  it('fails a SortMergeJoin, quoting it', async () => {
    const outcome = await grade(check, 'shuffled-join');
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(/^customers meets its join in `SortMergeJoin \[customer_id#\d+\], \[customer_id#\d+\], LeftOuter`: both sides are shuffled/);
  });
  it('is an error, not a failure, when no plan was recorded', async () => {
    expect((await grade(check, undefined)).status).toBe('error');
  });
});

describe('expectPlanLacks: no Python in the plan', () => {
  const check = expectPlanLacks({ node: /^(BatchEvalPython|ArrowEvalPython)\b/, what: 'Python code', why: 'use built-in functions' });
  it('quotes the BatchEvalPython of an @udf and the ArrowEvalPython of a pandas_udf', async () => {
    const udf = await grade(check, 'python-udf');
    expect(udf.status).toBe('fail');
    expect(udf.message).toMatch(/runs Python code: `BatchEvalPython \[day_part\(ts#\d+\)#\d+, band\(kind#\d+, amount_cents#\d+L\)#\d+\], \[pythonUDF0#\d+, pythonUDF1#\d+\]`/);
    const pandas = await grade(check, 'pandas-udf');
    expect(pandas.message).toMatch(/`ArrowEvalPython \[day_part\(hour\(ts#\d+, Some\(UTC\)\)\)#\d+\], \[pythonUDF0#\d+\], 200`/);
  });
  it('passes built-in functions', async () => {
    expect((await grade(check, 'builtin')).status).toBe('pass');
  });
});

describe('expectPlan', () => {
  it('finds a node, and shows what the plan did instead when it is missing', async () => {
    const check = expectPlan({ has: /^BroadcastHashJoin\b/, what: 'BroadcastHashJoin', why: 'broadcast the small side', show: { nodes: /^SortMergeJoin\b/, what: 'its joins' } });
    expect((await grade(check, 'broadcast-join')).status).toBe('pass');
    const outcome = await grade(check, 'shuffled-join');
    expect(outcome).toMatchObject({ status: 'fail', message: expect.stringMatching(/^the executed plan has no BroadcastHashJoin; its joins: `SortMergeJoin \[customer_id#/) });
  });
  it('counts the nodes it asks for', async () => {
    const check = expectPlan({ has: /^InMemoryTableScan\b/, what: 'reads from the cache', times: 3, why: 'x' });
    expect((await grade(check, 'cached')).message).toContain('3 times (it has 2)');
  });
});

describe('expectSkewHandled', () => {
  const check = expectSkewHandled({ key: 'customer_id', hot: 'customer 1 holds a third of the events', why: 'split, salt or broadcast' });
  it('passes adaptive execution\'s split, a salt (a column, rand(), a combined key) and a broadcast', async () => {
    expect(await grade(check, 'skew-join-split')).toMatchObject({ status: 'pass', message: expect.stringContaining('split by adaptive execution') });
    for (const name of ['salted-join', 'rand-salted-join', 'concat-salted-join']) expect(await grade(check, name)).toMatchObject({ status: 'pass', message: expect.stringContaining('salted') });
    expect(await grade(check, 'broadcast-orders')).toMatchObject({ status: 'pass', message: expect.stringContaining('broadcast') });
  });
  it('fails a plain shuffle join on the key, naming the node and what is skewed', async () => {
    const outcome = await grade(check, 'skewed-join');
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(/^`SortMergeJoin \[customer_id#\d+\], \[customer_id#\d+\], Inner, \(\(ts#\d+ <= placed_at#\d+\) AND .*` shuffles on customer_id alone: customer 1 holds a third of the events/);
  });
  it('fails a plan with no join on the key', async () => {
    expect(await grade(check, 'python-udf')).toMatchObject({ status: 'fail', message: expect.stringContaining('no join on customer_id') });
  });
});

describe('expectCacheReused', () => {
  const check = expectCacheReused({ times: 2, holding: /^Exchange hashpartitioning\(order_id#/, holdingWhat: 'the deduplication', why: 'cache it' });
  it('passes the deduplicated frame cached and read twice', async () => {
    expect(await grade(check, 'cached')).toMatchObject({ status: 'pass', message: expect.stringContaining('read 2 times from memory: `InMemoryTableScan [') });
  });
  it('fails no cache, quoting the repeated shuffle', async () => {
    const outcome = await grade(check, 'not-cached');
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(/^nothing is cached \(no InMemoryTableScan in the executed plan\), and the deduplication runs 2 times: `Exchange hashpartitioning\(order_id#\d+, 4\), ENSURE_REQUIREMENTS/);
  });
  it('fails a cache of the raw lines: the deduplication is not inside it', async () => {
    const outcome = await grade(check, 'cached-raw');
    expect(outcome.status).toBe('fail');
    expect(outcome.message).toMatch(/^the cache holds `InMemoryRelation \[day#\d+, line#\d+, /);
  });
});
