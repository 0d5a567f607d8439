import type { DuckDBConnection } from '@duckdb/node-api';
import { definePair } from '../pair.js';
import { duckdb, duckRows, ensureShopBoth, num, parquetOf, postgresQuerySide } from './shop.js';

const SCAN = (from: string) => `SELECT status, channel, count(*) AS orders, sum(amount_cents::BIGINT * qty) AS revenue FROM ${from} GROUP BY status, channel ORDER BY status, channel`;

/** Revenue by status and channel over every order: the analytic scan. */
export const columnScan = definePair({
  id: 'column-scan',
  title: 'An analytic scan on a row store (Postgres) vs a column store (DuckDB over Parquet)',
  habit: { backend: 'ask the OLTP database', data: 'scan columnar files with an OLAP engine' },
  needs: ['postgres'],
  lesson: [
    'A row store reads every column of every row to sum two of them: its pages hold whole rows, built for fetching one.',
    'Parquet stores each column together, compressed; DuckDB reads the four it needs and aggregates them in vectors.',
    'Published elsewhere (ClickBench, 100 M rows): DuckDB ~1,200× untuned Postgres by geometric mean. The counter-case is `lab compare point-lookup`.',
  ],
  prepare: ensureShopBoth,
  backend: postgresQuerySide('row store', 'Postgres (heap table)', SCAN('orders'), (x) => [x.status, x.channel, num(x.orders), num(x.revenue)]),
  data: {
    label: 'column store',
    engine: 'DuckDB over Parquet',
    open: () => duckdb(),
    async run(db: DuckDBConnection, ctx) {
      return { answer: await duckRows(db, SCAN(`'${parquetOf(ctx, 'orders')}'`)) };
    },
  },
});
