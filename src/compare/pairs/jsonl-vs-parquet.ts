import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { definePair, type SideContext } from '../pair.js';
import { csvOf, duckdb, duckRows, ensureShopCsv } from './shop.js';

const MONTH = '2025-03';
const jsonl = (ctx: SideContext) => path.join(ctx.dir, 'orders.jsonl');
const partitioned = (ctx: SideContext) => path.join(ctx.dir, 'orders_by_month');
const single = (ctx: SideContext) => path.join(ctx.dir, 'orders_with_month.parquet');
const QUERY = (from: string) => `SELECT channel, count(*) AS orders, sum(amount_cents::BIGINT * qty)::BIGINT AS revenue FROM ${from} WHERE month = '${MONTH}' GROUP BY channel ORDER BY channel`;

function bytesUnder(p: string): number {
  const st = fs.statSync(p);
  return st.isDirectory() ? fs.readdirSync(p).reduce((sum, f) => sum + bytesUnder(path.join(p, f)), 0) : st.size;
}

/** One month's revenue by channel, from the same orders as JSON lines and as Parquet partitioned by month. */
export const jsonlVsParquet = definePair({
  id: 'jsonl-vs-parquet',
  title: 'JSON lines vs Parquet partitioned by month: size on disk, scan time, partition pruning',
  habit: { backend: 'log JSON lines and scan them', data: 'columnar, compressed Parquet, partitioned by the filter column' },
  needs: [],
  lesson: [
    'JSON lines repeat every key on every row and are parsed as text: the scan reads and parses the whole year to keep one month.',
    'Parquet partitioned by month lets the engine skip eleven folders without opening them, then read two columns of one.',
    'The same Parquet in one file (sorted by time) still prunes row groups by their min/max: the third line shows what the folders add.',
  ],
  async prepare(ctx) {
    ensureShopCsv(ctx);
    const marker = path.join(ctx.dir, '.jsonl-done');
    if (fs.existsSync(marker)) return;
    const db = await duckdb();
    const source = `(SELECT *, strftime(ordered_at, '%Y-%m') AS month FROM read_csv('${csvOf(ctx, 'orders')}', header = true, timestampformat = '%Y-%m-%dT%H:%M:%S.%gZ') ORDER BY id)`;
    await db.run(`COPY ${source} TO '${jsonl(ctx)}' (FORMAT json)`);
    fs.rmSync(partitioned(ctx), { recursive: true, force: true });
    await db.run(`COPY ${source} TO '${partitioned(ctx)}' (FORMAT parquet, PARTITION_BY (month))`);
    await db.run(`COPY ${source} TO '${single(ctx)}' (FORMAT parquet)`);
    db.closeSync();
    fs.writeFileSync(marker, '');
  },
  sizes: (ctx) => ({ 'JSON lines': bytesUnder(jsonl(ctx)), 'Parquet by month': bytesUnder(partitioned(ctx)) }),
  backend: {
    label: 'JSON lines',
    engine: 'DuckDB read_json',
    open: () => duckdb(),
    async run(db: DuckDBConnection, ctx) {
      return { answer: await duckRows(db, QUERY(`read_json('${jsonl(ctx)}', format = 'newline_delimited')`)) };
    },
  },
  data: {
    label: 'Parquet by month',
    engine: 'DuckDB read_parquet (hive partitions pruned)',
    open: () => duckdb(),
    async run(db: DuckDBConnection, ctx) {
      return { answer: await duckRows(db, QUERY(`read_parquet('${partitioned(ctx)}/*/*.parquet', hive_partitioning = true)`)) };
    },
  },
  also: [
    {
      label: 'Parquet, one file',
      engine: 'DuckDB read_parquet (row groups pruned by min/max)',
      open: () => duckdb(),
      async run(db: DuckDBConnection, ctx) {
        return { answer: await duckRows(db, QUERY(`'${single(ctx)}'`)) };
      },
    },
  ],
});
