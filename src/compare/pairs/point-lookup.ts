import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type pg from 'pg';
import { random } from '../../../datasets/random.js';
import { definePair, type SideContext } from '../pair.js';
import { duckdb, ensureShopBoth, num, parquetOf, postgresClient } from './shop.js';

const LOOKUPS = 100;

/** The same 100 order ids, from the seed: what an API does on every request. */
const idsFor = (ctx: SideContext) => {
  const r = random(ctx.seed * 31 + 7);
  return Array.from({ length: LOOKUPS }, () => r.int(1, ctx.scale));
};

/** 100 orders fetched by their key, one at a time: the counter-case, where the row store wins. */
export const pointLookup = definePair({
  id: 'point-lookup',
  title: 'Point lookups by key: the row store\'s case (Postgres) vs a column store (DuckDB over Parquet)',
  habit: { backend: 'fetch a row by its primary key', data: 'the same fetch from columnar files' },
  needs: ['postgres'],
  lesson: [
    'The counter-case: a B-tree finds one row in a few page reads, and the row\'s columns are together on its page.',
    'A column store has no such index: it prunes row groups by their min/max, then decodes a block of every column to rebuild one row.',
    'This is why OLTP stays on Postgres: a ratio below 1 here is the measurement, not a failure.',
  ],
  prepare: ensureShopBoth,
  backend: {
    label: 'B-tree lookups',
    engine: 'Postgres (primary key index)',
    open: postgresClient,
    async run(client: pg.Client, ctx) {
      const found: unknown[] = [];
      for (const id of idsFor(ctx)) {
        const r = await client.query({ name: 'order-by-id', text: 'SELECT id, customer_id, amount_cents, status FROM orders WHERE id = $1', values: [id] });
        found.push(...r.rows.map((x) => [x.id, x.customer_id, x.amount_cents, x.status]));
      }
      return { answer: found };
    },
    close: (client: pg.Client) => client.end(),
  },
  data: {
    label: 'Parquet lookups',
    engine: 'DuckDB over Parquet (row-group pruning)',
    async open(ctx) {
      const db = await duckdb();
      return { db, lookup: await db.prepare(`SELECT id, customer_id, amount_cents, status FROM '${parquetOf(ctx, 'orders')}' WHERE id = $1`) };
    },
    async run({ lookup }: { db: DuckDBConnection; lookup: DuckDBPreparedStatement }, ctx) {
      const found: unknown[] = [];
      for (const id of idsFor(ctx)) {
        lookup.bindInteger(1, id);
        const rows = (await lookup.runAndReadAll()).getRows();
        found.push(...rows.map((x) => x.map((v) => (typeof v === 'bigint' ? num(v) : v))));
      }
      return { answer: found };
    },
  },
});
