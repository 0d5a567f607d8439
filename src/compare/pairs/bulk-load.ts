import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ORDER_COLUMNS } from '../../../datasets/habits/orders.js';
import { definePair, type SideContext } from '../pair.js';
import { csvOf, ensureShopCsv, num, postgresClient } from './shop.js';

const TABLE_DDL = (name: string) => `CREATE TABLE IF NOT EXISTS ${name} (id int PRIMARY KEY, customer_id int NOT NULL, product_id int NOT NULL, ordered_at timestamptz NOT NULL,
  status text NOT NULL, channel text NOT NULL, country text NOT NULL, amount_cents int NOT NULL, qty int NOT NULL, coupon text, note text)`;

/** What landed: the count and two sums, so a lost or doubled row shows. */
async function landed(client: pg.Client, table: string) {
  const r = await client.query(`SELECT count(*) AS n, sum(amount_cents) AS amount, sum(id) AS ids FROM ${table}`);
  return [num(r.rows[0].n), num(r.rows[0].amount), num(r.rows[0].ids)];
}

async function openTarget(ctx: SideContext, table: string) {
  const client = await postgresClient(ctx);
  await client.query(TABLE_DDL(table));
  return client;
}

function parseCsvLine(line: string): Array<string | null> {
  // The shop's CSV quotes nothing (no commas in its values): an empty field is NULL.
  return line.split(',').map((v) => (v === '' ? null : v));
}

/** The day's orders into an empty table: one INSERT per row, autocommitted, against one COPY. */
export const bulkLoad = definePair({
  id: 'bulk-load',
  title: 'Row-at-a-time INSERTs vs one bulk COPY',
  habit: { backend: 'INSERT each row as it comes (one statement, one commit)', data: 'COPY the batch in one stream' },
  needs: ['postgres'],
  lesson: [
    'Each INSERT is a round trip, a parse, a plan and, autocommitted, a WAL flush to disk: the cost is per row and it is large.',
    'COPY streams the rows through one statement and one commit: the server parses a file format, not SQL.',
    'Published elsewhere: COPY is ~50× faster than single-row INSERTs. One row is one INSERT either way.',
  ],
  async prepare(ctx) {
    ensureShopCsv(ctx);
  },
  backend: {
    label: 'INSERT per row',
    engine: 'Postgres (autocommit INSERTs)',
    async open(ctx) {
      const client = await openTarget(ctx, 'load_inserts');
      const rows = fs.readFileSync(csvOf(ctx, 'orders'), 'utf8').trim().split('\n').slice(1).map(parseCsvLine);
      return { client, rows };
    },
    async run({ client, rows }: { client: pg.Client; rows: Array<Array<string | null>> }) {
      await client.query('TRUNCATE load_inserts');
      const insert = `INSERT INTO load_inserts (${ORDER_COLUMNS.join(', ')}) VALUES (${ORDER_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;
      for (const row of rows) await client.query({ name: 'insert-order', text: insert, values: row });
      return { answer: await landed(client, 'load_inserts') };
    },
    close: ({ client }: { client: pg.Client }) => client.end(),
  },
  data: {
    label: 'COPY',
    engine: 'Postgres (COPY FROM STDIN)',
    open: (ctx) => openTarget(ctx, 'load_copy'),
    async run(client: pg.Client, ctx) {
      await client.query('TRUNCATE load_copy');
      await pipeline(fs.createReadStream(csvOf(ctx, 'orders')), client.query(copyFrom(`COPY load_copy (${ORDER_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`)));
      return { answer: await landed(client, 'load_copy') };
    },
    close: (client: pg.Client) => client.end(),
  },
});
