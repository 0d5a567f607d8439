import type { DuckDBConnection } from '@duckdb/node-api';
import { definePair } from '../pair.js';
import { duckdb, duckRows, ensureShopParquet, parquetOf } from './shop.js';

const TOP = 20;

/** Revenue of paid orders per customer, the top 20: in a loop over rows pulled into Node, and as one columnar aggregate. */
export const rowLoop = definePair({
  id: 'row-loop',
  title: 'A loop over rows in TypeScript vs a vectorized aggregate in DuckDB',
  habit: { backend: 'pull the rows into the app and loop over them', data: 'send the computation to a columnar engine' },
  needs: [],
  lesson: [
    'The loop pays per row: each row is materialised as a JavaScript array of boxed values, then visited one at a time.',
    'DuckDB reads only the four columns it needs and aggregates them in vectors of 2,048 values, on every core.',
    'At a thousand rows the loop is fine: pulling them is cheap and nothing needs scale.',
  ],
  prepare: ensureShopParquet,
  backend: {
    label: 'loop over rows in Node',
    engine: 'Node.js (rows pulled from DuckDB)',
    open: () => duckdb(),
    async run(db: DuckDBConnection, ctx) {
      const rows = await duckRows(db, `SELECT * FROM '${parquetOf(ctx, 'orders')}'`);
      const revenue = new Map<number, number>();
      for (const row of rows) {
        const [, customer, , , status, , , amount, qty] = row as [number, number, number, unknown, string, string, string, number, number];
        if (status !== 'paid') continue;
        revenue.set(customer, (revenue.get(customer) ?? 0) + amount * qty);
      }
      const top = [...revenue].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, TOP);
      return { answer: top };
    },
  },
  data: {
    label: 'one aggregate in DuckDB',
    engine: 'DuckDB (vectorized, columnar)',
    open: () => duckdb(),
    async run(db: DuckDBConnection, ctx) {
      const top = await duckRows(db, `SELECT customer_id, sum(amount_cents * qty)::BIGINT AS revenue FROM '${parquetOf(ctx, 'orders')}' WHERE status = 'paid' GROUP BY customer_id ORDER BY revenue DESC, customer_id LIMIT ${TOP}`);
      return { answer: top };
    },
  },
});
