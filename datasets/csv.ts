import fs from 'node:fs';
import path from 'node:path';
import type { SqlSession } from '../src/services/duckdb.js';
import { quoteLiteral } from '../src/sql.js';

/** Rows as CSV: strings quoted, numbers and booleans bare, null as an empty cell (NULL when read). */
export function toCsv(rows: ReadonlyArray<object>, columns: string[]): string {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : `"${String(v).replace(/"/g, '""')}"`);
  return `${columns.join(',')}\n${rows.map((r) => columns.map((c) => cell((r as Record<string, unknown>)[c])).join(',')).join('\n')}\n`;
}

/** Creates `table` from generated rows, through a CSV file in `workDir`, with the column types given in order. */
export async function createTableFromRows(session: SqlSession, workDir: string, table: string, rows: ReadonlyArray<object>, columns: Record<string, string>, orderBy: string): Promise<void> {
  const file = path.join(workDir, `${table}.csv`);
  const names = Object.keys(columns);
  fs.writeFileSync(file, toCsv(rows, names));
  const types = names.map((n) => `${quoteLiteral(n)}: ${quoteLiteral(columns[n]!)}`).join(', ');
  await session.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv(${quoteLiteral(file)}, header = true, columns = {${types}}) ORDER BY ${orderBy}`);
}
