import type { SqlSession } from '../services/duckdb.js';
import { quoteIdentifier } from '../sql.js';
import { fail, pass, type CheckOutcome } from './define.js';
import { plural, showRow, showValue } from './values.js';

export interface CompareOptions {
  /** Columns (optionally `col DESC`) the learner's rows must be sorted by; omitted: any order. */
  orderBy?: string[];
  /** Relative tolerance for numeric columns. */
  tolerance?: number;
  /** Columns that identify a row, used to point at the first differing row; default: the first column. */
  key?: string[];
  /** Compare only these columns (others the learner adds, e.g. free-text reasons, are not graded). */
  columns?: string[];
}


type Category = 'number' | 'time' | 'text' | 'bool' | 'other';

interface Column {
  name: string;
  type: string;
  category: Category;
}

const SAMPLE_ROWS = 3;
const RECONCILE_LIMIT = 5_000;

function categorize(type: string): Category {
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/.test(t)) return 'number';
  if (/^(DATE|TIME|TIMESTAMP.*|INTERVAL)/.test(t)) return 'time';
  if (t === 'VARCHAR') return 'text';
  if (t === 'BOOLEAN') return 'bool';
  return 'other';
}

async function describe(session: SqlSession, table: string): Promise<Column[]> {
  const rows = await session.queryObjects(`DESCRIBE ${table}`);
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type), category: categorize(String(r.column_type)) }));
}

function digitsFor(tolerance: number): number {
  return Math.max(0, Math.min(12, Math.round(-Math.log10(tolerance))));
}

/** One SELECT list that makes learner and reference rows comparable column by column. */
function normalized(columns: Column[], expected: Column[], digits: number): string {
  return expected
    .map((e) => {
      const c = columns.find((x) => x.name.toLowerCase() === e.name.toLowerCase())!;
      if (e.category === 'number') return `round(${quoteIdentifier(c.name)}::DOUBLE, ${digits}) AS ${quoteIdentifier(e.name)}`;
      if (e.category === 'time' && /TIMESTAMP/i.test(e.type)) return `${quoteIdentifier(c.name)}::TIMESTAMPTZ AS ${quoteIdentifier(e.name)}`;
      return `${quoteIdentifier(c.name)} AS ${quoteIdentifier(e.name)}`;
    })
    .join(', ');
}

function close(a: unknown, b: unknown, tolerance: number): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (a === null || b === null || Number.isNaN(x) || Number.isNaN(y)) return false;
  return Math.abs(x - y) <= tolerance * Math.max(1, Math.abs(x), Math.abs(y));
}

/**
 * Compares the learner's table with the reference's as multisets (and by order when asked),
 * and says what differs: missing or unexpected columns, a type that cannot match, missing and
 * extra rows with examples, the first row that differs in place, or the first row out of order.
 */
export async function compareTables(session: SqlSession, learner: string, reference: string, opts: CompareOptions = {}): Promise<CheckOutcome> {
  const tolerance = opts.tolerance ?? 1e-6;
  const digits = digitsFor(tolerance);
  const only = opts.columns?.map((c) => c.toLowerCase());
  const got = (await describe(session, learner)).filter((c) => !only || only.includes(c.name.toLowerCase()));
  const expected = (await describe(session, reference)).filter((c) => !only || only.includes(c.name.toLowerCase()));
  const gotNames = new Set(got.map((c) => c.name.toLowerCase()));
  const expectedNames = new Set(expected.map((c) => c.name.toLowerCase()));
  const missingCols = expected.filter((c) => !gotNames.has(c.name.toLowerCase())).map((c) => c.name);
  const extraCols = got.filter((c) => !expectedNames.has(c.name.toLowerCase())).map((c) => c.name);
  if (missingCols.length || extraCols.length) {
    const parts: string[] = [];
    if (missingCols.length) parts.push(`missing column${missingCols.length > 1 ? 's' : ''} ${missingCols.map((c) => `\`${c}\``).join(', ')}`);
    if (extraCols.length) parts.push(`unexpected column${extraCols.length > 1 ? 's' : ''} ${extraCols.map((c) => `\`${c}\``).join(', ')}`);
    return fail(`${parts.join(' and ')}: the result must have exactly the columns ${expected.map((c) => c.name).join(', ')}`);
  }
  for (const e of expected) {
    const g = got.find((c) => c.name.toLowerCase() === e.name.toLowerCase())!;
    const compatible = e.category === g.category && (e.category !== 'time' || (/TIMESTAMP/i.test(e.type) && /TIMESTAMP/i.test(g.type)) || e.type === g.type);
    if (!compatible) return fail(`column \`${e.name}\` is ${g.type}, expected ${e.type}`);
  }

  const gotSql = `SELECT ${normalized(got, expected, digits)} FROM ${learner}`;
  const expSql = `SELECT ${normalized(expected, expected, digits)} FROM ${reference}`;
  const allCols = expected.map((c) => quoteIdentifier(c.name)).join(', ');
  // Fast path: equal multisets have equal row counts and equal sums of row hashes; one scan each.
  const digest = (sql: string) => `SELECT count(*) AS n, coalesce(sum(hash(${allCols})::HUGEINT), 0)::VARCHAR AS h FROM (${sql})`;
  const [gotDigest] = await session.queryObjects(digest(gotSql));
  const [expDigest] = await session.queryObjects(digest(expSql));
  const gotCount = Number(gotDigest!.n);
  const expCount = Number(expDigest!.n);
  if (gotCount === expCount && gotDigest!.h === expDigest!.h) return checkOrder(session, learner, got, expCount, opts);
  await session.run(`CREATE OR REPLACE TEMP TABLE __missing AS (${expSql}) EXCEPT ALL (${gotSql})`);
  await session.run(`CREATE OR REPLACE TEMP TABLE __extra AS (${gotSql}) EXCEPT ALL (${expSql})`);
  let missingCount = Number(await session.scalar('SELECT count(*) FROM __missing'));
  let extraCount = Number(await session.scalar('SELECT count(*) FROM __extra'));

  // Rounding can split two values a hair apart across a digit; match leftovers within tolerance.
  if (missingCount && extraCount && missingCount <= RECONCILE_LIMIT && extraCount <= RECONCILE_LIMIT && expected.some((c) => c.category === 'number')) {
    const missing = (await session.query(`SELECT ${allCols} FROM __missing`)).rows;
    const extra = (await session.query(`SELECT ${allCols} FROM __extra`)).rows;
    const used = new Set<number>();
    let matched = 0;
    for (const m of missing) {
      const idx = extra.findIndex((x, i) => !used.has(i) && x.every((v, j) => (expected[j]!.category === 'number' ? close(v, m[j], tolerance) : String(v) === String(m[j]))));
      if (idx >= 0) {
        used.add(idx);
        matched++;
      }
    }
    if (matched === missing.length && matched === extra.length) missingCount = extraCount = 0;
  }

  if (missingCount || extraCount) {
    const parts = [`expected ${plural(expCount, 'row')}, got ${gotCount.toLocaleString('en-US')}`];
    if (missingCount) parts.push(`${plural(missingCount, 'expected row')} missing`);
    if (extraCount) parts.push(`${plural(extraCount, 'unexpected row')}`);
    const lines = [parts.join('; ')];
    const key = (opts.key ?? [expected[0]!.name]).map(quoteIdentifier);
    const firstMissing = (await session.queryObjects(`SELECT * FROM __missing ORDER BY ${allCols} LIMIT 1`))[0];
    if (firstMissing && extraCount) {
      const cond = key.map((k, i) => `${k} IS NOT DISTINCT FROM (SELECT ${k} FROM __missing ORDER BY ${allCols} LIMIT 1)`).join(' AND ');
      const twin = (await session.queryObjects(`SELECT * FROM __extra WHERE ${cond} LIMIT 1`))[0];
      if (twin) {
        const diffs = Object.keys(firstMissing)
          .filter((k) => showValue(firstMissing[k]) !== showValue(twin[k]))
          .map((k) => `${k} expected ${showValue(firstMissing[k])}, got ${showValue(twin[k])}`);
        const where = (opts.key ?? [expected[0]!.name]).map((k) => `${k} = ${showValue(firstMissing[k])}`).join(', ');
        lines.push(`first differing row (${where}): ${diffs.join('; ')}`);
      }
    }
    if (missingCount) {
      const sample = await session.queryObjects(`SELECT * FROM __missing ORDER BY ${allCols} LIMIT ${SAMPLE_ROWS}`);
      lines.push(`missing, e.g. ${sample.map(showRow).join(' ')}`);
    }
    if (extraCount) {
      const sample = await session.queryObjects(`SELECT * FROM __extra ORDER BY ${allCols} LIMIT ${SAMPLE_ROWS}`);
      lines.push(`unexpected, e.g. ${sample.map(showRow).join(' ')}`);
    }
    return fail(lines.join('\n'));
  }

  return checkOrder(session, learner, got, expCount, opts);
}

/** The rows match; when the exercise asks for an order, the learner's rows must follow it. */
async function checkOrder(session: SqlSession, learner: string, got: Column[], expCount: number, opts: CompareOptions): Promise<CheckOutcome> {
  if (opts.orderBy?.length) {
    const orderSql = opts.orderBy.map((o) => {
      const [col, dir] = o.trim().split(/\s+/);
      const g = got.find((c) => c.name.toLowerCase() === col!.toLowerCase());
      return `${quoteIdentifier(g?.name ?? col!)} ${dir?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC'}`;
    });
    const cols = opts.orderBy.map((o) => quoteIdentifier(got.find((c) => c.name.toLowerCase() === o.trim().split(/\s+/)[0]!.toLowerCase())?.name ?? o));
    const bad = await session.queryObjects(`
      WITH numbered AS (SELECT *, row_number() OVER () AS __rn FROM ${learner}),
      ranked AS (SELECT *, dense_rank() OVER (ORDER BY ${orderSql.join(', ')}) AS __pos FROM numbered),
      checked AS (SELECT *, max(__pos) OVER (ORDER BY __rn ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS __prev_max FROM ranked)
      SELECT __rn, ${cols.join(', ')} FROM checked WHERE __pos < __prev_max ORDER BY __rn LIMIT 1`);
    if (bad[0]) {
      const row = bad[0];
      const shown = Object.fromEntries(Object.entries(row).filter(([k]) => k !== '__rn'));
      return fail(`the rows are right but not in the asked order (ORDER BY ${opts.orderBy.join(', ')}): row ${row.__rn} ${showRow(shown)} should come earlier`);
    }
  }
  return pass(`${plural(expCount, 'row')} match the reference${opts.orderBy?.length ? `, ordered by ${opts.orderBy.join(', ')}` : ''}`);
}
