import type { SqlSession } from '../services/duckdb.js';
import { quoteIdentifier } from '../sql.js';
import { fail, pass, type CheckOutcome } from './define.js';
import { plural, showRow, showValue, times } from './values.js';

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
    const keyNames = opts.key ?? [expected[0]!.name];
    const key = keyNames.map(quoteIdentifier);
    // Shown as the learner's own values: TIMESTAMP without the +00 the comparison added, DECIMAL with its scale, numbers unquoted.
    const display = expected.map((e) => `${shownAs(e, quoteIdentifier(e.name))} AS ${quoteIdentifier(e.name)}`).join(', ');
    const numeric = new Set(expected.filter((c) => c.category === 'number').map((c) => c.name));
    const rows = (table: string, where = '', limit = SAMPLE_ROWS) => session.queryObjects(`SELECT ${display} FROM ${table} ${where} ORDER BY ${allCols} LIMIT ${limit}`);
    const parts = [`expected ${plural(expCount, 'row')}, got ${gotCount.toLocaleString('en-US')}`];
    if (missingCount) parts.push(`${plural(missingCount, 'expected row')} missing`);
    if (extraCount) parts.push(`${plural(extraCount, 'unexpected row')}`);
    const lines = [parts.join('; ')];
    if (extraCount) {
      const repeated = await repeatedKeys(session, gotSql, expSql, key);
      if (repeated) {
        const first = repeated.first;
        const where = keyNames.map((k) => `${k} ${showValue(first[k], numeric.has(k))}`).join(', ');
        const what = keyNames.length === 1 ? keyNames[0]! : `(${keyNames.join(', ')})`;
        const more = repeated.keys > 1 ? `, and ${plural(repeated.keys - 1, `more ${what}`)} repeat` : '';
        lines.unshift(`${where} appears ${times(Number(first.__got))} (${plural(Number(first.__got), 'row')} where the reference has ${Number(first.__expected)})${more}: deduplicate, so each ${what} is one row`);
      }
    }
    const firstMissing = (await rows('__missing', '', 1))[0];
    if (firstMissing && extraCount) {
      const cond = key.map((k) => `${k} IS NOT DISTINCT FROM (SELECT ${k} FROM __missing ORDER BY ${allCols} LIMIT 1)`).join(' AND ');
      const twin = (await rows('__extra', `WHERE ${cond}`, 1))[0];
      if (twin) {
        const diffs = Object.keys(firstMissing)
          .filter((k) => showValue(firstMissing[k]) !== showValue(twin[k]))
          .map((k) => `${k} expected ${showValue(firstMissing[k], numeric.has(k))}, got ${showValue(twin[k], numeric.has(k))}`);
        const where = keyNames.map((k) => `${k} = ${showValue(firstMissing[k], numeric.has(k))}`).join(', ');
        lines.push(`first differing row (${where}): ${diffs.join('; ')}`);
      }
    }
    if (missingCount) lines.push(`missing, e.g. ${(await rows('__missing')).map((r) => showRow(r, numeric)).join(' ')}`);
    if (extraCount) lines.push(`unexpected, e.g. ${(await rows('__extra')).map((r) => showRow(r, numeric)).join(' ')}`);
    return fail(lines.join('\n'));
  }

  return checkOrder(session, learner, got, expCount, opts);
}

/** A normalized column back in its own type for messages: a TIMESTAMP without the +00 the comparison added, a DECIMAL with its scale. */
function shownAs(column: Column, expr: string): string {
  if (column.category === 'time' && /^TIMESTAMP(_US|_MS|_S|_NS)?$/i.test(column.type)) return `${expr}::TIMESTAMP`;
  if (column.category === 'number' && /^DECIMAL/i.test(column.type)) return `${expr}::${column.type}`;
  return expr;
}

/** Keys the learner's rows repeat more often than the reference's do: the first (most repeated), and how many keys. */
async function repeatedKeys(session: SqlSession, gotSql: string, expSql: string, key: string[]): Promise<{ first: Record<string, unknown>; keys: number } | undefined> {
  const cols = key.join(', ');
  const join = key.map((k) => `l.${k} IS NOT DISTINCT FROM r.${k}`).join(' AND ');
  const sql = `WITH l AS (SELECT ${cols}, count(*) AS n FROM (${gotSql}) GROUP BY ALL), r AS (SELECT ${cols}, count(*) AS n FROM (${expSql}) GROUP BY ALL)
    SELECT ${key.map((k) => `l.${k}`).join(', ')}, l.n AS __got, r.n AS __expected FROM l JOIN r ON ${join} WHERE l.n > r.n`;
  const [first] = await session.queryObjects(`${sql} ORDER BY l.n - r.n DESC, ${key.map((k) => `l.${k}`).join(', ')} LIMIT 1`);
  if (!first) return undefined;
  return { first, keys: Number(await session.scalar(`SELECT count(*) FROM (${sql})`)) };
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
      return fail(`the rows are right but not in the asked order (ORDER BY ${opts.orderBy.join(', ')}): row ${row.__rn} ${showRow(shown, new Set(got.filter((c) => c.category === 'number').map((c) => c.name)))} should come earlier`);
    }
  }
  return pass(`${plural(expCount, 'row')} match the reference${opts.orderBy?.length ? `, ordered by ${opts.orderBy.join(', ')}` : ''}`);
}

export interface RowDiff {
  columns: string[];
  numeric: Set<string>;
  /** Rows of the reference the learner's result lacks, and rows it has that the reference does not. */
  missing: number;
  extra: number;
  /** Differing rows, a key present on both sides counted once: what pages count. */
  entries: number;
  /** One page, in key order: `-` expected, `+` the learner's; a pair shares a key, its differing columns named. */
  lines: Array<{ mark: '-' | '+'; row: Record<string, unknown>; changed: string[] }>;
}

/**
 * The learner's rows against the reference's, for `lab diff`: the rows on one side only, paired by
 * key where both sides have one, in key order, a page at a time. Same columns as compareTables reads.
 */
export async function diffRows(session: SqlSession, learner: string, reference: string, opts: CompareOptions, page: { limit: number; offset: number }): Promise<RowDiff> {
  const digits = digitsFor(opts.tolerance ?? 1e-6);
  const only = opts.columns?.map((c) => c.toLowerCase());
  const got = (await describe(session, learner)).filter((c) => !only || only.includes(c.name.toLowerCase()));
  const expected = (await describe(session, reference)).filter((c) => !only || only.includes(c.name.toLowerCase()));
  const missingCols = expected.filter((e) => !got.some((g) => g.name.toLowerCase() === e.name.toLowerCase()));
  if (missingCols.length) throw new Error(`your result has no column ${missingCols.map((c) => c.name).join(', ')}: \`lab check\` says which columns it wants`);
  const cols = expected.map((c) => quoteIdentifier(c.name));
  const all = cols.join(', ');
  const keyNames = opts.key ?? [expected[0]!.name];
  const key = keyNames.map(quoteIdentifier);
  const gotSql = `SELECT ${normalized(got, expected, digits)} FROM ${learner}`;
  const expSql = `SELECT ${normalized(expected, expected, digits)} FROM ${reference}`;
  const numbered = (sql: string) => `SELECT *, row_number() OVER (PARTITION BY ${key.join(', ')} ORDER BY ${all}) AS __n FROM (${sql})`;
  await session.run(`CREATE OR REPLACE TEMP TABLE __diff_missing AS ${numbered(`(${expSql}) EXCEPT ALL (${gotSql})`)}`);
  await session.run(`CREATE OR REPLACE TEMP TABLE __diff_extra AS ${numbered(`(${gotSql}) EXCEPT ALL (${expSql})`)}`);
  const missing = Number(await session.scalar('SELECT count(*) FROM __diff_missing'));
  const extra = Number(await session.scalar('SELECT count(*) FROM __diff_extra'));
  const on = [...key.map((k) => `m.${k} IS NOT DISTINCT FROM x.${k}`), 'm.__n = x.__n'].join(' AND ');
  const pick = (side: string, prefix: string) => cols.map((c, i) => `${shownAs(expected[i]!, `${side}.${c}`)} AS ${quoteIdentifier(`${prefix}${i}`)}`).join(', ');
  const pairs = await session.queryObjects(`SELECT m.__n IS NOT NULL AS __has_m, x.__n IS NOT NULL AS __has_x, ${pick('m', 'm')}, ${pick('x', 'x')}
    FROM __diff_missing m FULL JOIN __diff_extra x ON ${on}
    ORDER BY ${key.map((k) => `coalesce(m.${k}, x.${k})`).join(', ')}, coalesce(m.__n, x.__n), m.__n NULLS LAST
    LIMIT ${page.limit} OFFSET ${page.offset}`);
  const names = expected.map((c) => c.name);
  const rowOf = (p: Record<string, unknown>, prefix: string) => Object.fromEntries(names.map((n, i) => [n, p[`${prefix}${i}`]]));
  const lines: RowDiff['lines'] = [];
  for (const p of pairs) {
    const m = p.__has_m ? rowOf(p, 'm') : undefined;
    const x = p.__has_x ? rowOf(p, 'x') : undefined;
    const changed = m && x ? names.filter((n) => showValue(m[n]) !== showValue(x[n])) : [];
    if (m) lines.push({ mark: '-', row: m, changed });
    if (x) lines.push({ mark: '+', row: x, changed });
  }
  const entries = Number(await session.scalar(`SELECT count(*) FROM __diff_missing m FULL JOIN __diff_extra x ON ${on}`));
  return { columns: names, numeric: new Set(expected.filter((c) => c.category === 'number').map((c) => c.name)), missing, extra, entries, lines };
}
