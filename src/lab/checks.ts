import { quoteIdentifier, sqlCode } from '../sql.js';
import { compareTables, type CompareOptions } from './compare.js';
import { fail, outcome, pass, skipped, type ModelRunContext, type ResultCheck, type SourceCheck } from './define.js';
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
