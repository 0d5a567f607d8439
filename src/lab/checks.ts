import { quoteIdentifier, sqlCode } from '../sql.js';
import { compareTables, type CompareOptions } from './compare.js';
import { errored, fail, outcome, pass, skipped, type ModelRunContext, type PythonRunContext, type ResultCheck, type SourceCheck } from './define.js';
import { expandColumns, isSkewJoin, JOIN_NODES, joinKeys, parentOf, planNodes, projectedColumns, readsTable, showNode, sourceColumns, subtree, type PlanNode } from './plan.js';
import { numericColumns, showRow } from './values.js';

export { defineExercise, defineLab } from './define.js';

/** The learner's result equals the reference's on every dataset (order-insensitive unless `orderBy`). */
export function expectSameRows(opts: CompareOptions = {}): ResultCheck {
  return {
    name: opts.orderBy?.length ? 'same rows as the reference, in order' : 'same rows as the reference',
    on: 'results',
    run: (ctx) => compareTables(ctx.session, ctx.learnerTable, ctx.referenceTable, opts),
    compare: opts,
  };
}

/** The SQL uses a construct the exercise is about (e.g. QUALIFY), so a workaround does not pass. */
export function expectSqlUses(pattern: RegExp, what: string, why: string): SourceCheck {
  return {
    name: `uses ${what}`,
    on: 'source',
    run(ctx) {
      const used = pattern.test(sqlCode(ctx.source));
      return outcome(used, used ? `uses ${what}` : `${ctx.file} does not use ${what}: ${why}`);
    },
  };
}

/** Python solutions stay vectorized: no for/while loops and no row-wise calls. */
export function expectNoRowLoops(): SourceCheck {
  return {
    name: 'vectorized: no row loops',
    on: 'source',
    async run(ctx) {
      const found = (await ctx.service('python')).lintRowLoops(ctx.absFile);
      // A file that does not parse did not run: its error is the run's, with its line, not a loop finding.
      if (!Array.isArray(found)) return skipped(`not checked: ${ctx.file} does not parse (${found.kind} at line ${found.line ?? '?'})`);
      if (found.length === 0) return pass('no row loops');
      const first = found[0]!;
      return fail(`${ctx.file}:${first.line}: ${first.what} iterates row by row${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}; use column operations (groupby, merge, shift, vectorized arithmetic) instead`);
    },
  };
}

/**
 * A SQL assertion: the query lists violations (it may read `learner`, `reference` and the lab's
 * tables); no rows passes. The message says what the rows mean and shows the first few.
 */
export function expectNoRows(name: string, sql: string, meaning: string): ResultCheck {
  return {
    name,
    on: 'results',
    async run(ctx) {
      let rows: Record<string, unknown>[];
      let total: number;
      try {
        rows = await ctx.session.queryObjects(`SELECT * FROM (${sql}) LIMIT 4`);
        total = rows.length ? Number(await ctx.session.scalar(`SELECT count(*) FROM (${sql})`)) : 0;
      } catch (err) {
        // Usually a column the learner's table lacks; the same-rows check names it.
        return fail(`could not check this on your table: ${(err as Error).message.split('\n')[0]}`);
      }
      if (total === 0) return pass(name);
      const numeric = numericColumns(await ctx.session.queryObjects(`DESCRIBE SELECT * FROM (${sql})`));
      return fail(`${meaning} — ${total.toLocaleString('en-US')} found, e.g. ${rows.slice(0, 3).map((r) => showRow(r, numeric)).join(' ')}`);
    },
  };
}

/** Each key appears once: a silver table's promise to everyone downstream. */
export function expectUniqueKey(columns: string[]): ResultCheck {
  const cols = columns.map(quoteIdentifier).join(', ');
  return expectNoRows(
    `unique key (${columns.join(', ')})`,
    `SELECT ${cols}, count(*) AS copies FROM learner GROUP BY ${cols} HAVING count(*) > 1 ORDER BY copies DESC, ${cols}`,
    `keys appear more than once (deduplicate so each (${columns.join(', ')}) is one row)`,
  );
}

/** The model's files are Parquet under `<column>=<value>/` folders, and each folder holds only its own value. */
export function expectPartitionedBy(column: string): ResultCheck<ModelRunContext> {
  return {
    name: `Parquet partitioned by ${column}`,
    on: 'results',
    async run(ctx) {
      const out = ctx.learnerOutput;
      if (out.partitionBy !== column) {
        return fail(`the files are not partitioned by ${column}: add a line \`-- @partition_by ${column}\` to the model, so each day is a folder ${column}=YYYY-MM-DD/ a query for one day can read alone`);
      }
      const files = (await ctx.session.queryObjects(`SELECT file FROM glob('${out.dir}/**/*.parquet')`)).map((r) => String(r.file));
      const outside = files.filter((f) => !new RegExp(`/${column}=[^/]+/[^/]+\\.parquet$`).test(f) && !f.endsWith('/empty.parquet'));
      if (outside.length) return fail(`${outside.length} Parquet files are not under a ${column}=… folder, e.g. ${outside[0]}`);
      return pass(`${files.length} Parquet files under ${column}=…/ folders`);
    },
  };
}

/** Running the model again gives the same table: a pipeline can be re-run after a failure without doubling data. */
export function expectIdempotent(): ResultCheck<ModelRunContext> {
  return {
    name: 'idempotent: a second run gives the same table',
    on: 'results',
    async run(ctx) {
      const again = await ctx.rerunLearner();
      const digest = async (dir: string) =>
        ctx.session.queryObjects(`SELECT count(*)::VARCHAR AS n, coalesce(sum(hash(t)::HUGEINT)::VARCHAR, '') AS h FROM read_parquet('${dir}/**/*.parquet', hive_partitioning = true, union_by_name = true) t`);
      const [a] = await digest(ctx.learnerOutput.dir);
      const [b] = await digest(again.dir);
      if (a!.n !== b!.n || a!.h !== b!.h) {
        return fail(`a second run gave a different table (${a!.n} rows, then ${b!.n}): avoid now(), random() and row order without ORDER BY in keys, so a re-run after a failure rebuilds the same data`);
      }
      return pass(`two runs give the same ${a!.n} rows`);
    },
  };
}

/** A type-2 slowly changing dimension: one current row per key, validity periods that never overlap and leave no gap. */
export function expectScd2(opts: { key: string; from: string; to: string; current: string }): ResultCheck[] {
  const [k, f, t, c] = [opts.key, opts.from, opts.to, opts.current].map(quoteIdentifier) as [string, string, string, string];
  return [
    expectNoRows(
      `one current row per ${opts.key}`,
      `SELECT ${k}, count(*) FILTER (WHERE ${c}) AS current_rows FROM learner GROUP BY ${k} HAVING count(*) FILTER (WHERE ${c}) <> 1 ORDER BY ${k}`,
      `${opts.key}s do not have exactly one current row (${opts.current} = true on the latest version only)`,
    ),
    expectNoRows(
      `validity periods of each ${opts.key} follow each other`,
      `SELECT ${k}, ${f}, ${t}, next_from FROM (SELECT *, lead(${f}) OVER (PARTITION BY ${k} ORDER BY ${f}) AS next_from FROM learner)
       WHERE ${t} IS DISTINCT FROM next_from OR (${t} IS NULL) <> ${c} ORDER BY ${k}, ${f}`,
      `versions whose ${opts.to} is not the next version's ${opts.from} (NULL only on the current one): periods must neither overlap nor leave gaps`,
    ),
  ];
}

/** A total of the learner's table equals the same total computed from upstream data, to the cent. */
export function expectTotalsMatch(name: string, learnerSql: string, sourceSql: string, what: string): ResultCheck {
  return {
    name,
    on: 'results',
    async run(ctx) {
      const got = String(await ctx.session.scalar(`SELECT round((${learnerSql})::DECIMAL(38, 4), 2)::VARCHAR`));
      const want = String(await ctx.session.scalar(`SELECT round((${sourceSql})::DECIMAL(38, 4), 2)::VARCHAR`));
      return got === want ? pass(`${what} reconciles: ${want}`) : fail(`${what} does not reconcile: yours ${got}, upstream ${want} (a join that drops or duplicates rows?)`);
    },
  };
}

/** An incremental model: with the next day's drop landed, a run for that day rewrites that day's partition only, as a full rebuild would. */
export function expectIncremental(): ResultCheck<ModelRunContext> {
  return {
    name: 'incremental: a new day rewrites only its partition',
    on: 'results',
    run: (ctx) => ctx.incrementalRun(),
  };
}

/** The plan a PySpark run executed (final, after adaptive execution), as nodes; undefined when none was recorded. */
function executedPlan(ctx: PythonRunContext): PlanNode[] | undefined {
  return ctx.plan === undefined ? undefined : planNodes(ctx.plan);
}

const noPlan = () => errored('no executed plan was recorded for this run: plan checks need a PySpark exercise (library: pyspark)');
const quoted = (nodes: PlanNode[], max = 3) => nodes.slice(0, max).map((n) => `\`${showNode(n)}\``).join(', ') + (nodes.length > max ? ` (and ${nodes.length - max} more)` : '');

/**
 * The plan Spark executed has a node matching `has` (its line without the tree drawing, e.g.
 * /^BroadcastHashJoin/), at least `times` times; when it does not, the message quotes the nodes
 * matching `show` (what it did instead: the joins, say).
 */
export function expectPlan(opts: { has: RegExp; what: string; why: string; times?: number; show?: { nodes: RegExp; what: string } }): ResultCheck<PythonRunContext> {
  const times = opts.times ?? 1;
  return {
    name: `the executed plan has ${opts.what}`,
    on: 'results',
    async run(ctx) {
      const nodes = executedPlan(ctx);
      if (!nodes) return noPlan();
      const found = nodes.filter((n) => opts.has.test(n.text));
      if (found.length >= times) return pass(`the executed plan has ${opts.what}: ${quoted(found, 1)}`);
      const instead = opts.show ? nodes.filter((n) => opts.show!.nodes.test(n.text)) : [];
      const count = times > 1 ? ` ${times} times (it has ${found.length})` : '';
      return fail(`the executed plan has no ${opts.what}${count}${instead.length ? `; ${opts.show!.what}: ${quoted(instead)}` : ''}: ${opts.why}`);
    },
  };
}

/** The plan Spark executed has no node matching `node` (e.g. a Python UDF's BatchEvalPython); the message quotes the one it found. */
export function expectPlanLacks(opts: { node: RegExp; what: string; why: string }): ResultCheck<PythonRunContext> {
  return {
    name: `the executed plan has no ${opts.what}`,
    on: 'results',
    async run(ctx) {
      const nodes = executedPlan(ctx);
      if (!nodes) return noPlan();
      const found = nodes.filter((n) => opts.node.test(n.text));
      if (found.length === 0) return pass(`no ${opts.what} in the executed plan`);
      return fail(`the executed plan runs ${opts.what}: ${quoted(found)}: ${opts.why}`);
    },
  };
}

/** The small table reaches its join as a broadcast: a BroadcastHashJoin whose BroadcastExchange reads it, not a shuffle of both sides. */
export function expectBroadcastJoin(opts: { small: string; why: string }): ResultCheck<PythonRunContext> {
  return {
    name: `${opts.small} is broadcast to its join`,
    on: 'results',
    async run(ctx) {
      const nodes = executedPlan(ctx);
      if (!nodes) return noPlan();
      const joinAbove = (i: number): number => {
        for (let p = parentOf(nodes, i); p >= 0; p = parentOf(nodes, p)) if (JOIN_NODES.has(nodes[p]!.name)) return p;
        return -1;
      };
      const broadcasts = nodes.flatMap((n, i) => (n.name === 'BroadcastExchange' && readsTable(nodes, i, opts.small) ? [i] : []));
      const viaHashJoin = broadcasts.map(joinAbove).filter((j) => j >= 0 && nodes[j]!.name === 'BroadcastHashJoin');
      if (viaHashJoin.length) return pass(`${opts.small} is broadcast: ${quoted([nodes[viaHashJoin[0]!]!], 1)}`);
      // The joins that read the small table: the innermost ones, the join it meets first.
      const joins = nodes.flatMap((n, i) => (JOIN_NODES.has(n.name) && readsTable(nodes, i, opts.small) && !subtree(nodes, i).some((c, k) => JOIN_NODES.has(c.name) && readsTable(nodes, i + 1 + k, opts.small)) ? [n] : []));
      if (joins.length === 0) return fail(`no join in the executed plan reads ${opts.small}: ${opts.why}`);
      const shuffled = joins.filter((j) => j.name !== 'BroadcastHashJoin');
      if (shuffled.length) {
        return fail(`${opts.small} meets its join in ${quoted(shuffled)}: both sides are shuffled (Exchange hashpartitioning) to meet by key, the big one too: ${opts.why}`);
      }
      return fail(`${quoted(joins)} broadcasts the other side, not ${opts.small}: every task gets a copy of the broadcast side, so it must be the small one: ${opts.why}`);
    },
  };
}

/**
 * A join on a skewed key is not left to one task: its shuffle join was split by adaptive execution
 * (`SortMergeJoin(skew=true)`), or salted (its keys read a column besides `key`), or it is a
 * broadcast. `hot` says what is skewed, for the message.
 */
export function expectSkewHandled(opts: { key: string; hot: string; why: string }): ResultCheck<PythonRunContext> {
  return {
    name: `the join on ${opts.key} handles its skew`,
    on: 'results',
    async run(ctx) {
      const nodes = executedPlan(ctx);
      if (!nodes) return noPlan();
      const defined = projectedColumns(nodes);
      const reads = (keys: string[]) => keys.flatMap((k) => sourceColumns(k, defined));
      const onKey = nodes.filter((n) => {
        const { left, right } = joinKeys(n);
        return reads([...left, ...right]).includes(opts.key);
      });
      if (onKey.length === 0) return fail(`no join on ${opts.key} in the executed plan: this exercise is about that join (${opts.hot})`);
      const unhandled = onKey.filter((n) => {
        if (n.name === 'BroadcastHashJoin' || isSkewJoin(n)) return false;
        const { left, right } = joinKeys(n);
        // A salt: a key that reads another column (event_id % 8), or a random one (rand() * 8).
        const salted = (keys: string[]) => reads(keys).some((c) => c !== opts.key) || keys.some((k) => /\b(rand|randn|uuid|shuffle)\(/.test(expandColumns(k, defined)));
        return !(salted(left) && salted(right));
      });
      if (unhandled.length === 0) {
        const how = (n: PlanNode) => (n.name === 'BroadcastHashJoin' ? 'broadcast' : isSkewJoin(n) ? 'split by adaptive execution' : 'salted');
        return pass(`the join on ${opts.key} is ${how(onKey[0]!)}: ${quoted(onKey, 1)}`);
      }
      return fail(`${quoted(unhandled)} shuffles on ${opts.key} alone: ${opts.hot}, so all of its rows go to one partition and one task joins them while the others wait: ${opts.why}`);
    },
  };
}

/**
 * A frame used more than once is cached, once: the plan reads it `times` times or more from memory
 * (InMemoryTableScan), and the cached relation holds a node matching `holding` (the expensive
 * part, e.g. /^Exchange/: a cached raw scan would leave the shuffle to run for every use).
 */
export function expectCacheReused(opts: { times: number; holding: RegExp; holdingWhat: string; why: string }): ResultCheck<PythonRunContext> {
  return {
    name: `a cached frame is reused (${opts.times} reads from memory)`,
    on: 'results',
    async run(ctx) {
      const nodes = executedPlan(ctx);
      if (!nodes) return noPlan();
      const scans = nodes.filter((n) => n.name === 'InMemoryTableScan');
      const relations = nodes.flatMap((n, i) => (n.name === 'InMemoryRelation' ? [i] : []));
      if (scans.length === 0) {
        const repeated = nodes.filter((n) => opts.holding.test(n.text));
        return fail(`nothing is cached (no InMemoryTableScan in the executed plan)${repeated.length > 1 ? `, and ${opts.holdingWhat} runs ${repeated.length} times: ${quoted(repeated)}` : ''}: ${opts.why}`);
      }
      if (!relations.some((i) => subtree(nodes, i).some((n) => opts.holding.test(n.text)))) {
        return fail(`the cache holds ${quoted(relations.map((i) => nodes[i]!), 1)} without ${opts.holdingWhat}: cache the frame after it, so it runs once: ${opts.why}`);
      }
      if (scans.length < opts.times) return fail(`the cached frame is read ${scans.length} time${scans.length === 1 ? '' : 's'} (${quoted(scans)}), not ${opts.times}: use the cached frame everywhere the frame is used: ${opts.why}`);
      return pass(`the cached frame is read ${scans.length} times from memory: ${quoted(scans, 1)}`);
    },
  };
}

const kilobytes = (bytes: number) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`);

/**
 * A writing exercise's files (`writesDataset`): every data file is Parquet, in a folder `<by>=<value>`
 * right under output_dir, and no folder holds more than `filesPerPartition` of them (the small-files problem).
 */
export function expectPartitionedFiles(opts: { by: string; filesPerPartition: number; why: string }): ResultCheck<PythonRunContext> {
  const most = opts.filesPerPartition;
  const each = most === 1 ? 'one file' : `at most ${most} files`;
  return {
    name: `the files are partitioned by ${opts.by}, ${each} per partition`,
    on: 'results',
    async run(ctx) {
      if (!ctx.files) return errored('no written files were recorded: this check needs an exercise whose solve() writes a dataset (writesDataset)');
      const notParquet = ctx.files.filter((f) => !f.path.endsWith('.parquet'));
      if (notParquet.length) return fail(`output_dir holds files that are not Parquet: ${notParquet.slice(0, 3).map((f) => f.path).join(', ')}: write with .write.parquet(output_dir)`);
      const left = ctx.files.filter((f) => f.fromEarlierRun);
      if (left.length) {
        return fail(`${left.length} file${left.length === 1 ? '' : 's'} of the earlier run ${left.length === 1 ? 'is' : 'are'} still in output_dir (${left.slice(0, 2).map((f) => f.path).join(', ')}): a rerun replaces what is there, it never adds to it: write with .mode("overwrite")`);
      }
      const inFolder = new RegExp(`^${opts.by}=([^/]+)/[^/]+$`);
      const misplaced = ctx.files.filter((f) => !inFolder.test(f.path));
      if (misplaced.length) {
        const where = misplaced.slice(0, 2).map((f) => f.path.replace(/part-(\d+)-[0-9a-f-]{36}/, 'part-$1-…')).join(', ');
        return fail(`${misplaced.length} of ${ctx.files.length} files are not in a ${opts.by}=… folder right under output_dir (${where}): .write.partitionBy("${opts.by}") puts each ${opts.by}'s rows in a folder of its own, so a reader of one ${opts.by} opens only that folder`);
      }
      const folders = new Map<string, number[]>();
      for (const f of ctx.files) {
        const folder = f.path.split('/')[0]!;
        folders.set(folder, [...(folders.get(folder) ?? []), f.bytes]);
      }
      const crowded = [...folders].filter(([, sizes]) => sizes.length > most).sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
      if (crowded.length) {
        const [folder, sizes] = crowded[0]!;
        const average = sizes.reduce((s, b) => s + b, 0) / sizes.length;
        return fail(`${crowded.length} of ${folders.size} ${opts.by} folders hold more than ${each}: ${folder}/ has ${sizes.length} files of ${kilobytes(Math.round(average))} on average: ${opts.why}`);
      }
      const sizes = ctx.files.map((f) => f.bytes).sort((a, b) => a - b);
      return pass(`${folders.size} ${opts.by} folders, ${most === 1 ? 'one file each' : `${each} each`} (median ${kilobytes(sizes[Math.floor(sizes.length / 2)]!)})`);
    },
  };
}
