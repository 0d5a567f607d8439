import fs from 'node:fs';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { openDatasetSession } from '../runtime/dataset-session.js';
import { QueryTimeoutError } from '../services/duckdb.js';
import type { StartedTrino, TrinoQueryError } from '../services/trino.js';
import { trimStatement } from '../sql.js';
import { formatMs } from '../ui/output.js';
import { attachStack, type CommandContext } from './context.js';

const DEFAULT_LIMIT = 20;
const MAX_WIDTH = 40;

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_WIDTH ? `${s.slice(0, MAX_WIDTH - 1)}…` : s;
}

/**
 * Explore a lab's data with SQL on the same engine the checks use (your seed, read-only): the
 * DuckDB shell a learner would otherwise need to install. `-f file.sql` runs a workspace file.
 */
export async function queryCommand(ctx: CommandContext, labName: string, sqlArg: string | undefined, flags: { file?: string; limit?: string; json?: boolean }): Promise<number> {
  const lab = await loadLab(labName);
  const sql = flags.file ? fs.readFileSync(flags.file, 'utf8') : sqlArg;
  if (!sql?.trim()) throw new LabError('No query given.', `Pass one: lab query ${lab.name} "SELECT * FROM ${lab.def.tables[0] ?? 'some_table'} LIMIT 5"  (or -f file.sql)`);
  const limit = flags.limit ? Number(flags.limit) : DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new LabError(`Invalid limit '${flags.limit}'.`, 'Give a whole number of rows, e.g. --limit 50.');
  const { stack } = await attachStack(ctx, lab);
  const body = trimStatement(sql);
  // Where the lab's SQL engine is a query engine over the lake (Trino on the lakehouse stack), the query runs there.
  if (stack.has('queryEngine')) return queryLakehouse(ctx, await stack.service('queryEngine'), body, limit, flags.json);
  const session = await openDatasetSession(lab, stack.datasets[0]!);
  const t0 = performance.now();
  try {
    // DESCRIBE, SHOW, SUMMARIZE and PRAGMA are not queries a table can be made from: they run as they are.
    const direct = /^\s*(DESCRIBE|SHOW|SUMMARIZE|PRAGMA)\b/i.test(body);
    let result: { columns: string[]; types: string[]; rows: unknown[][] };
    let total: number;
    try {
      if (direct) {
        result = await session.queryJson(body);
        total = result.rows.length;
        result.rows = result.rows.slice(0, limit);
      } else {
        await session.runWithTimeout(`CREATE OR REPLACE TEMP TABLE __query AS ${body}`, 60_000);
        result = await session.queryJson(`SELECT * FROM __query LIMIT ${limit}`);
        total = Number(await session.scalar('SELECT count(*) FROM __query'));
      }
    } catch (err) {
      if (err instanceof QueryTimeoutError) throw new LabError('The query was still running after 60 s and was stopped.', 'Add a LIMIT or a WHERE, or look for a join without its condition.');
      throw new LabError((err as Error).message.split('\n')[0]!.replace(/^Failed to extract statements: /, ''), 'Fix the query and run it again; `lab query <lab> "SHOW ALL TABLES"` lists the tables.');
    }
    printResult(ctx, result, flags.json, rowsShown(result.rows.length, total), t0);
    return 0;
  } finally {
    session.close();
  }
}

function rowsShown(shown: number, total: number): string {
  return shown < total ? `${shown} of ${total.toLocaleString('en-US')} rows (--limit to see more)` : `${total.toLocaleString('en-US')} row${total === 1 ? '' : 's'}`;
}

function printResult(ctx: CommandContext, result: { columns: string[]; types: string[]; rows: unknown[][] }, json: boolean | undefined, shown: string, t0: number): void {
  if (json) {
    ctx.output.result(JSON.stringify({ columns: result.columns, types: result.types, rows: result.rows }));
    return;
  }
  const rows = result.rows.map((r) => r.map(cell));
  const widths = result.columns.map((c, i) => Math.min(MAX_WIDTH, Math.max(c.length, result.types[i]!.length, ...rows.map((r) => r[i]!.length))));
  ctx.output.result(result.columns.map((c, i) => pc.bold(c.padEnd(widths[i]!))).join('  '));
  ctx.output.result(pc.dim(result.types.map((t, i) => t.toLowerCase().slice(0, widths[i]).padEnd(widths[i]!)).join('  ')));
  for (const r of rows) ctx.output.result(r.map((v, i) => v.padEnd(widths[i]!)).join('  '));
  ctx.output.result(pc.dim(`${shown} · ${formatMs(performance.now() - t0)}`));
}

/** The lake on containers: the query runs on Trino over the Iceberg catalog, as the learner's models do there. */
async function queryLakehouse(ctx: CommandContext, trino: StartedTrino, body: string, limit: number, json: boolean | undefined): Promise<number> {
  const t0 = performance.now();
  let result;
  try {
    // One row past the limit says whether there are more, without counting a whole table.
    result = await trino.query(body, { maxRows: limit + 1 });
  } catch (err) {
    const e = err as TrinoQueryError;
    // Trino says "line L:C: …"; the place goes last, as the DuckDB path says it.
    const where = e.line ? ` (line ${e.line}, column ${e.column})` : '';
    throw new LabError(`Trino: ${e.reason}${where}`, 'Fix the query and run it again; `lab query <lab> "SHOW TABLES FROM bronze"` lists the tables.');
  }
  const more = result.rows.length > limit;
  result.rows = result.rows.slice(0, limit);
  const shown = more ? `first ${limit} rows on Trino (--limit to see more)` : `${result.rows.length} row${result.rows.length === 1 ? '' : 's'} on Trino`;
  printResult(ctx, result, json, shown, t0);
  return 0;
}
