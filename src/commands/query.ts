import fs from 'node:fs';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { loadLab, type LoadedLab } from '../lab/load.js';
import { modelExercises } from '../lab/models.js';
import { openDatasetSession } from '../runtime/dataset-session.js';
import { QueryTimeoutError } from '../services/duckdb.js';
import type { StartedTrino, TrinoQueryError } from '../services/trino.js';
import { sqlCode, trimStatement } from '../sql.js';
import { formatMs } from '../ui/output.js';
import { attachStack, type CommandContext } from './context.js';

const DEFAULT_LIMIT = 20;
const MAX_WIDTH = 40;
const QUERY_TIMEOUT_MS = 60_000;

/** Statements that only read: what `lab query` runs. The lab's data changes through `lab run`, `reset` and `drop`. */
const READ_ONLY = /^\s*\(*\s*(SELECT|WITH|FROM|VALUES|TABLE|PIVOT|UNPIVOT|DESCRIBE|DESC|SHOW|SUMMARIZE|EXPLAIN|PRAGMA)\b/i;
/** Statements that are not queries a table can be made from: they run as they are. */
const DIRECT = /^\s*(DESCRIBE|DESC|SHOW|SUMMARIZE|PRAGMA|EXPLAIN)\b/i;

export interface QueryFlags {
  file?: string;
  limit?: string;
  json?: boolean;
  csv?: boolean;
  wide?: boolean;
}

interface Rows {
  columns: string[];
  types: string[];
  rows: unknown[][];
}

function text(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The query, from the argument or a file; one clear line when there is none, or it would write. */
function readQuery(lab: LoadedLab, sqlArg: string | undefined, file: string | undefined): string {
  if (file && !fs.existsSync(file)) throw new LabError(`No file ${file}.`, `Give the path of an SQL file, e.g. lab query ${lab.name} -f workspace/${lab.name}/${lab.exercises[0]?.id ?? '01-…'}/${lab.exercises[0]?.def.file ?? 'query.sql'}`);
  if (file && fs.statSync(file).isDirectory()) throw new LabError(`${file} is a folder, not an SQL file.`, 'Give the path of the file inside it.');
  const sql = file ? fs.readFileSync(file, 'utf8') : sqlArg;
  if (!sql?.trim() || !sqlCode(sql).trim()) throw new LabError(file ? `${file} holds no query yet.` : 'No query given.', `Pass one: lab query ${lab.name} "SELECT * FROM ${lab.def.tables[0] ?? 'some_table'} LIMIT 5"  (or -f file.sql)`);
  const code = sqlCode(sql).trim();
  if (!READ_ONLY.test(code)) {
    const verb = /^\s*([A-Za-z]+)/.exec(code)?.[1]?.toUpperCase() ?? 'that';
    throw new LabError(`lab query is read-only: it runs SELECT (and DESCRIBE, SHOW, SUMMARIZE), not ${verb}.`, `The data changes through your model files and \`lab run ${lab.name}\`, \`lab drop\` or \`lab reset\`; the seeded data is never edited in place.`);
  }
  return trimStatement(sql);
}

/** A missing silver or gold table is a model not built yet: say which command builds it. */
function notBuiltHint(lab: LoadedLab, sql: string, message: string): string | undefined {
  const table = /\b(silver|gold)\s*\.\s*([a-z_][a-z0-9_]*)/i.exec(sqlCode(sql));
  if (!modelExercises(lab).length || !table || !/does not exist|not found/i.test(message)) return undefined;
  return `Your models are built by \`lab run ${lab.name}\`: run it first (${table[1]}.${table[2]} comes from your ${table[1]}.${table[2]}.sql).`;
}

/**
 * Explore a lab's data with SQL on the same engine the checks use (your seed, read-only): the
 * DuckDB shell a learner would otherwise need to install. `-f file.sql` runs a workspace file.
 */
export async function queryCommand(ctx: CommandContext, labName: string, sqlArg: string | undefined, flags: QueryFlags): Promise<number> {
  const lab = await loadLab(labName);
  const body = readQuery(lab, sqlArg, flags.file);
  const limit = flags.limit ? Number(flags.limit) : DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new LabError(`Invalid limit '${flags.limit}'.`, 'Give a whole number of rows, e.g. --limit 50.');
  if (flags.json && flags.csv) throw new LabError('--json and --csv are two formats: pick one.');
  const { stack } = await attachStack(ctx, lab, `lab query ${lab.name}`);
  // Where the lab's SQL engine is a query engine over the lake (Trino on the lakehouse stack), the query runs there.
  if (stack.has('queryEngine')) return queryLakehouse(ctx, lab, await stack.service('queryEngine'), body, limit, flags);
  const session = await openDatasetSession(lab, stack.datasets[0]!);
  const t0 = performance.now();
  try {
    let result: Rows;
    let total: number;
    try {
      if (DIRECT.test(body)) {
        result = await session.queryJson(body);
        total = result.rows.length;
        result.rows = result.rows.slice(0, limit);
      } else {
        await session.runWithTimeout(`CREATE OR REPLACE TEMP TABLE __query AS ${body}`, QUERY_TIMEOUT_MS);
        result = await session.queryJson(`SELECT * FROM __query LIMIT ${limit}`);
        total = Number(await session.scalar('SELECT count(*) FROM __query'));
      }
    } catch (err) {
      if (err instanceof QueryTimeoutError) throw new LabError(`The query was still running after ${QUERY_TIMEOUT_MS / 1000} s and was stopped.`, 'Add a LIMIT or a WHERE, or look for a join without its condition.');
      const message = (err as Error).message.split('\n')[0]!.replace(/^Failed to extract statements: /, '');
      throw new LabError(message, notBuiltHint(lab, body, message) ?? 'Fix the query and run it again; `lab query <lab> "SHOW ALL TABLES"` lists the tables.');
    }
    printResult(ctx, result, flags, rowsShown(result.rows.length, total), t0);
    return 0;
  } finally {
    session.close();
  }
}

function rowsShown(shown: number, total: number): string {
  return shown < total ? `${shown} of ${total.toLocaleString('en-US')} rows (--limit to see more)` : `${total.toLocaleString('en-US')} row${total === 1 ? '' : 's'}`;
}

const csvField = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = text(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function printResult(ctx: CommandContext, result: Rows, flags: QueryFlags, shown: string, t0: number): void {
  if (flags.json) {
    ctx.output.result(JSON.stringify({ columns: result.columns, types: result.types, rows: result.rows }));
    return;
  }
  if (flags.csv) {
    ctx.output.result(result.columns.map(csvField).join(','));
    for (const r of result.rows) ctx.output.result(r.map(csvField).join(','));
    ctx.output.info(pc.dim(`${shown} · ${formatMs(performance.now() - t0)}`));
    return;
  }
  // Wide values are cut to a column's width, unless --wide asks for them whole.
  const cell = (v: unknown) => {
    const s = text(v);
    return !flags.wide && s.length > MAX_WIDTH ? `${s.slice(0, MAX_WIDTH - 1)}…` : s;
  };
  const rows = result.rows.map((r) => r.map(cell));
  const cap = flags.wide ? Infinity : MAX_WIDTH;
  const widths = result.columns.map((c, i) => Math.min(cap, Math.max(c.length, result.types[i]!.length, ...rows.map((r) => r[i]!.length))));
  ctx.output.result(result.columns.map((c, i) => pc.bold(c.padEnd(widths[i]!))).join('  '));
  ctx.output.result(pc.dim(result.types.map((t, i) => t.toLowerCase().slice(0, widths[i]).padEnd(widths[i]!)).join('  ')));
  for (const r of rows) ctx.output.result(r.map((v, i) => v.padEnd(widths[i]!)).join('  '));
  ctx.output.result(pc.dim(`${shown}${result.rows.some((r) => r.some((v) => text(v).length > MAX_WIDTH)) && !flags.wide ? ' · long values cut (--wide shows them whole)' : ''} · ${formatMs(performance.now() - t0)}`));
}

/** The lake on containers: the query runs on Trino over the Iceberg catalog, as the learner's models do there. */
async function queryLakehouse(ctx: CommandContext, lab: LoadedLab, trino: StartedTrino, body: string, limit: number, flags: QueryFlags): Promise<number> {
  const t0 = performance.now();
  let result;
  try {
    // One row past the limit says whether there are more, without counting a whole table.
    result = await trino.query(body, { maxRows: limit + 1 });
  } catch (err) {
    const e = err as TrinoQueryError;
    // Trino says "line L:C: …"; the place goes last, as the DuckDB path says it.
    const where = e.line ? ` (line ${e.line}, column ${e.column})` : '';
    throw new LabError(`Trino: ${e.reason}${where}`, notBuiltHint(lab, body, e.reason) ?? 'Fix the query and run it again; `lab query <lab> "SHOW TABLES FROM bronze"` lists the tables.');
  }
  const more = result.rows.length > limit;
  result.rows = result.rows.slice(0, limit);
  const shown = more ? `first ${limit} rows on Trino (--limit to see more)` : `${result.rows.length} row${result.rows.length === 1 ? '' : 's'} on Trino`;
  printResult(ctx, result, flags, shown, t0);
  return 0;
}
