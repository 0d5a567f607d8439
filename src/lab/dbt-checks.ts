import { quoteIdentifier, sqlCode } from '../sql.js';
import { fail, outcome, pass, type DbtPlant, type DbtRunContext, type ResultCheck, type SourceCheck } from './define.js';
import { showRow } from './values.js';

/** Checks of a dbt exercise: on the models the build made and on what dbt's tests said. */
type DbtCheck = ResultCheck<DbtRunContext>;

const list = (items: string[], max = 3) => `${items.slice(0, max).join(', ')}${items.length > max ? ` (+${items.length - max} more)` : ''}`;

function tableOf(ctx: DbtRunContext, model: string): string {
  const table = ctx.models[model];
  if (!table) throw new Error(`the build made no model ${model}`);
  return table;
}

/** The model reads the project's other nodes through ref() and its raw tables through source(): dbt knows the DAG only from those. */
export function expectRefsAndSources(): SourceCheck {
  return {
    name: 'reads through ref() and source()',
    on: 'source',
    run(ctx) {
      const code = sqlCode(ctx.source);
      if (!/\{\{\s*(ref|source)\s*\(/.test(code)) return fail(`${ctx.file} reads no {{ ref('…') }} or {{ source('…', '…') }}: dbt builds models in the order those calls say, and documents the lineage from them`);
      // The raw database is attached as `raw`: a name written into it bypasses the DAG.
      const named = /\b"?raw"?\s*\.\s*"?main"?\s*\.\s*"?\w+/i.exec(code.replace(/\{\{[^}]*\}\}/g, ''));
      return outcome(!named, named ? `${ctx.file} names a table itself (${named[0].trim()}): read it as {{ source('shop', '…') }}, so dbt knows the model depends on it` : 'reads through ref() and source()');
    },
  };
}

/** A model's grain: each key is one row. */
export function expectGrain(model: string, key: string[]): DbtCheck {
  const cols = key.map(quoteIdentifier).join(', ');
  return {
    name: `${model}: one row per (${key.join(', ')})`,
    on: 'results',
    async run(ctx) {
      const rows = await ctx.session.queryObjects(`SELECT ${cols}, count(*) AS copies FROM ${tableOf(ctx, model)} GROUP BY ${cols} HAVING count(*) > 1 ORDER BY copies DESC, ${cols} LIMIT 3`);
      if (rows.length === 0) return pass(`one row per (${key.join(', ')})`);
      return fail(`${model} has keys more than once, e.g. ${rows.map((r) => showRow(r)).join(' ')}: its grain is one row per (${key.join(', ')})`);
    },
  };
}

/** Every foreign key of a fact finds its dimension row (dbt's relationships test, as a grade). */
export function expectKeysFound(opts: { from: string; column: string; to: string; key: string }): DbtCheck {
  const [c, k] = [quoteIdentifier(opts.column), quoteIdentifier(opts.key)];
  return {
    name: `every ${opts.from}.${opts.column} is in ${opts.to}`,
    on: 'results',
    async run(ctx) {
      const sql = `SELECT f.${c} AS ${c}, count(*) AS lines FROM ${tableOf(ctx, opts.from)} f ANTI JOIN ${tableOf(ctx, opts.to)} d ON d.${k} = f.${c} GROUP BY ALL ORDER BY lines DESC`;
      const rows = await ctx.session.queryObjects(`${sql} LIMIT 3`);
      if (rows.length === 0) return pass(`every ${opts.column} is a row of ${opts.to}`);
      return fail(`${opts.from} has ${opts.column} values ${opts.to} does not have (${rows.map((r) => showRow(r)).join(' ')}): a fact row must find its dimension row, the unknown member (-1) when the source has none`);
    },
  };
}

/** On the seeded data, every test of the project passes: a test that fails on good data is a broken contract. */
export function expectTestsPass(): DbtCheck {
  return {
    name: "dbt's tests pass on the seeded data",
    on: 'results',
    async run(ctx) {
      const failing = await ctx.session.queryObjects(`SELECT name, status, failures, file FROM ${ctx.nodesTable} WHERE resource_type = 'test' AND status NOT IN ('pass', 'success') ORDER BY name`);
      const total = Number(await ctx.session.scalar(`SELECT count(*) FROM ${ctx.nodesTable} WHERE resource_type = 'test'`));
      if (failing.length === 0) return pass(`${total} tests pass`);
      const f = failing[0]!;
      return fail(`${failing.length} of ${total} tests fail on good data, e.g. ${String(f.name)} (${String(f.file)}): ${String(f.status)}${f.failures ? `, ${String(f.failures)} failing rows` : ''}; a test must pass on data that keeps the contract`);
    },
  };
}

/** After the grader planted each fault in the built tables, a test of the project failed on its model and column. */
export function expectPlantsCaught(plants: DbtPlant[], opts: { test?: string } = {}): DbtCheck {
  return {
    name: `your tests catch ${plants.length} planted faults`,
    on: 'results',
    async run(ctx) {
      if (!ctx.plantedTable) return fail('no faults were planted: the exercise declares none');
      const missed: string[] = [];
      for (const p of plants) {
        const caught = Number(
          await ctx.session.scalar(`SELECT count(*) FROM ${ctx.plantedTable} WHERE resource_type = 'test' AND status IN ('fail', 'error', 'warn')
            AND model = '${p.model}' AND (column_name = '${p.column}' OR contains(coalesce(column_name, ''), '${p.column}'))${opts.test ? ` AND test = '${opts.test}'` : ''}`),
        );
        if (caught === 0) missed.push(`${p.name} (${p.model}.${p.column})`);
      }
      if (missed.length === 0) return pass(`each of the ${plants.length} planted faults fails a test`);
      return fail(`${missed.length} of ${plants.length} planted faults pass every test: ${list(missed)}${opts.test ? ` — apply your ${opts.test} test there` : ' — add the test that would have caught it'}`);
    },
  };
}

/** Every mart model says what one row is: a description dbt docs shows beside the lineage. */
export function expectDocumented(models: string[]): DbtCheck {
  return {
    name: `${models.join(', ')} are documented`,
    on: 'results',
    async run(ctx) {
      const bare = models.filter((m) => !(ctx.docs.find((d) => d.name === m)?.description ?? '').trim());
      return outcome(bare.length === 0, bare.length ? `no description for ${list(bare)}: say what one row is (the grain), so dbt docs tells the next reader` : `${models.length} models described`);
    },
  };
}

/**
 * A type-2 snapshot after the loads: each key's versions follow each other without overlap, at most
 * one is current, and the versions (their tracked columns, which one is current) are the reference's.
 */
export function expectSnapshotHistory(opts: { key: string; tracked: string[] }): DbtCheck[] {
  const k = quoteIdentifier(opts.key);
  const cols = [k, ...opts.tracked.map(quoteIdentifier)].join(', ');
  return [
    {
      name: `at most one current version per ${opts.key}, periods that never overlap`,
      on: 'results',
      async run(ctx) {
        const twice = await ctx.session.queryObjects(`SELECT ${k}, count(*) AS current_versions FROM learner WHERE dbt_valid_to IS NULL GROUP BY ${k} HAVING count(*) > 1 ORDER BY ${k} LIMIT 3`);
        if (twice.length) return fail(`${opts.key}s with more than one current version (dbt_valid_to NULL), e.g. ${twice.map((r) => showRow(r)).join(' ')}: the snapshot saw the same key twice in one load — snapshot a model with one row per ${opts.key}`);
        const overlap = await ctx.session.queryObjects(
          `SELECT ${k}, dbt_valid_from, dbt_valid_to, next_from FROM (SELECT *, lead(dbt_valid_from) OVER (PARTITION BY ${k} ORDER BY dbt_valid_from) AS next_from FROM learner)
           WHERE next_from IS NOT NULL AND dbt_valid_to IS DISTINCT FROM next_from ORDER BY ${k} LIMIT 3`,
        );
        if (overlap.length) return fail(`versions whose dbt_valid_to is not the next version's dbt_valid_from, e.g. ${overlap.map((r) => showRow(r)).join(' ')}`);
        return pass('one current version at most, periods back to back');
      },
    },
    {
      name: 'the same versions as the reference after the second load',
      on: 'results',
      async run(ctx) {
        const versions = (t: string) => `SELECT ${cols}, dbt_valid_to IS NULL AS is_current FROM ${t}`;
        const extra = await ctx.session.queryObjects(`${versions('learner')} EXCEPT ALL ${versions('reference')} ORDER BY ALL LIMIT 3`);
        const missing = await ctx.session.queryObjects(`${versions('reference')} EXCEPT ALL ${versions('learner')} ORDER BY ALL LIMIT 3`);
        if (!extra.length && !missing.length) return pass(`${String(await ctx.session.scalar('SELECT count(*) FROM learner'))} versions, as the reference`);
        // Keys the reference has no current version of left a load: a snapshot that keeps them current ignores hard deletes.
        const stillOpen = await ctx.session.queryObjects(
          `SELECT ${k} FROM reference GROUP BY ${k} HAVING count(*) FILTER (WHERE dbt_valid_to IS NULL) = 0
           INTERSECT SELECT ${k} FROM learner WHERE dbt_valid_to IS NULL ORDER BY 1 LIMIT 3`,
        );
        if (stillOpen.length) {
          return fail(`${opts.key} ${stillOpen.map((r) => String(r[opts.key])).join(', ')} left the second load (the account was closed), but the last version is still current: invalidate hard deletes, so the history says when it ended`);
        }
        return fail(`your snapshot's versions differ from the reference's: ${extra.length ? `yours has ${extra.map((r) => showRow(r)).join(' ')}` : ''}${extra.length && missing.length ? '; ' : ''}${missing.length ? `it lacks ${missing.map((r) => showRow(r)).join(' ')}` : ''}`);
      },
    },
  ];
}
