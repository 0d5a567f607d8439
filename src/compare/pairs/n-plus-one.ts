import type pg from 'pg';
import { definePair } from '../pair.js';
import { ensureShopInPostgres, num, postgresClient, postgresQuerySide } from './shop.js';

/** Per customer with orders: how many, and the amount of the latest (ties by id). */
export const nPlusOne = definePair({
  id: 'n-plus-one',
  title: 'N+1 ORM-style queries vs one window-function query',
  habit: { backend: 'load the customers, then each one\'s orders (customer.orders)', data: 'one query with window functions' },
  needs: ['postgres'],
  lesson: [
    'N+1 pays a round trip, a parse and a plan per customer: the work grows with the customers, and each trip costs the same however small.',
    'One query with count() OVER and row_number() OVER (PARTITION BY customer_id) reads the orders once, in one sort.',
    'With ten customers, eleven small queries are fine; on a remote database every trip adds a network round trip on top.',
  ],
  prepare: ensureShopInPostgres,
  backend: {
    label: 'N+1 queries',
    engine: 'Postgres (one query per customer)',
    open: postgresClient,
    async run(client: pg.Client) {
      const out: Array<[number, number, number]> = [];
      const customers = await client.query<{ id: number }>('SELECT id FROM customers ORDER BY id');
      for (const { id } of customers.rows) {
        const orders = await client.query<{ id: number; ordered_at: Date; amount_cents: number }>('SELECT id, ordered_at, amount_cents FROM orders WHERE customer_id = $1', [id]);
        if (orders.rowCount === 0) continue;
        let latest = orders.rows[0]!;
        for (const o of orders.rows) if (o.ordered_at > latest.ordered_at || (+o.ordered_at === +latest.ordered_at && o.id > latest.id)) latest = o;
        out.push([id, orders.rows.length, latest.amount_cents]);
      }
      return { answer: out };
    },
    close: (client: pg.Client) => client.end(),
  },
  data: postgresQuerySide(
    'one window query',
    'Postgres (one query)',
    `SELECT customer_id, orders, amount_cents FROM (
       SELECT customer_id, amount_cents, count(*) OVER (PARTITION BY customer_id) AS orders,
              row_number() OVER (PARTITION BY customer_id ORDER BY ordered_at DESC, id DESC) AS nth
       FROM orders) o
     WHERE nth = 1 ORDER BY customer_id`,
    (row) => [row.customer_id, num(row.orders), row.amount_cents],
  ),
});
