import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { writeShopCsv } from '../../../datasets/habits/orders.js';
import type { PrepareContext, SideContext, TsSide } from '../pair.js';

/** The shop's CSV files, written once per scale and seed (a marker says they are whole). */
export function ensureShopCsv(ctx: SideContext): void {
  const marker = path.join(ctx.dir, '.csv-done');
  if (fs.existsSync(marker)) return;
  writeShopCsv(ctx.dir, ctx.scale, ctx.seed);
  fs.writeFileSync(marker, '');
}

export const csvOf = (ctx: SideContext, table: string) => path.join(ctx.dir, `${table}.csv`);

/** An in-memory DuckDB, the way a side uses it. */
export async function duckdb(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  return instance.connect();
}

/** orders.parquet, written by DuckDB from the CSV file once. */
export async function ensureShopParquet(ctx: SideContext): Promise<void> {
  ensureShopCsv(ctx);
  const marker = path.join(ctx.dir, '.parquet-done');
  if (fs.existsSync(marker)) return;
  // Only the orders are read from Parquet: the other tables are small and live in Postgres.
  const db = await duckdb();
  await db.run(`COPY (SELECT * FROM read_csv('${csvOf(ctx, 'orders')}', header = true, auto_detect = true) ORDER BY id) TO '${parquetOf(ctx, 'orders')}' (FORMAT parquet)`);
  db.closeSync();
  fs.writeFileSync(marker, '');
}

export const parquetOf = (ctx: SideContext, table: string) => path.join(ctx.dir, `${table}.parquet`);

/** Rows of a DuckDB query as plain arrays, bigints as numbers. */
export async function duckRows(db: DuckDBConnection, sql: string): Promise<unknown[][]> {
  const reader = await db.runAndReadAll(sql);
  return reader.getRows().map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
}

const SHOP_DDL = `
CREATE TABLE regions (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE cities (id int PRIMARY KEY, region_id int NOT NULL REFERENCES regions, name text NOT NULL);
CREATE TABLE customers (id int PRIMARY KEY, city_id int NOT NULL REFERENCES cities, name text NOT NULL, email text NOT NULL);
CREATE TABLE categories (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE products (id int PRIMARY KEY, category_id int NOT NULL REFERENCES categories, name text NOT NULL, list_price_cents int NOT NULL);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, product_id int NOT NULL REFERENCES products,
  ordered_at timestamptz NOT NULL, status text NOT NULL, channel text NOT NULL, country text NOT NULL, amount_cents int NOT NULL, qty int NOT NULL, coupon text, note text);
-- The index an ORM creates for the foreign key it loads collections by.
CREATE INDEX orders_customer_id ON orders (customer_id);`;

/** The shop in 3NF in the pair's Postgres schema, loaded with COPY once per scale and seed, then analyzed. */
export async function ensureShopInPostgres(ctx: PrepareContext): Promise<void> {
  const client = ctx.pg!;
  const schema = ctx.postgres!.schema;
  const loaded = await client.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'loaded'`, [schema]);
  if (loaded.rowCount) return;
  ensureShopCsv(ctx);
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path = ${schema}`);
  await client.query(SHOP_DDL);
  for (const table of ['regions', 'cities', 'customers', 'categories', 'products', 'orders']) {
    await pipeline(fs.createReadStream(csvOf(ctx, table)), client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true)`)));
  }
  await client.query('ANALYZE; CREATE TABLE loaded ()');
}

/** A side's Postgres client, on the pair's schema; statements stop at the budget as a second guard. */
export async function postgresClient(ctx: SideContext): Promise<pg.Client> {
  const { schema, ...config } = ctx.postgres!;
  const client = new pg.Client(config);
  await client.connect();
  await client.query(`SET search_path = ${schema}`);
  return client;
}

export const num = (v: unknown) => (v === null ? null : Number(v));

/** A side that is one query on the pair's Postgres schema, its rows mapped to the answer. */
export function postgresQuerySide(label: string, engine: string, sql: string, row: (r: Record<string, unknown>) => unknown[]): TsSide<pg.Client> {
  return {
    label,
    engine,
    open: postgresClient,
    async run(client) {
      return { answer: (await client.query(sql)).rows.map(row) };
    },
    close: (client) => client.end(),
  };
}

/** The shop in Postgres and as Parquet: the pairs that put the row store against the column store. */
export async function ensureShopBoth(ctx: PrepareContext): Promise<void> {
  await ensureShopInPostgres(ctx);
  await ensureShopParquet(ctx);
}
