import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SeedStep } from '../../lab/define.js';
import { SqlSession } from '../../services/duckdb.js';
import { ICEBERG_CATALOG, type StartedTrino } from '../../services/trino.js';
import { quoteIdentifier } from '../../sql.js';

/** The landing bucket: raw drops, as an operational system exports them. */
export const LAKE_BUCKET = 'lake';
/** The Iceberg catalog's warehouse (CATALOG_WAREHOUSE in compose/month4.yaml): table data and metadata. */
export const WAREHOUSE_BUCKET = 'warehouse';
/** The hidden dataset's tables live beside the learner's, under this prefix (hidden_bronze.orders). */
export const HIDDEN_SCHEMA_PREFIX = 'hidden_';
/** Schemas the learner's models write to; bronze comes from the seed. */
const MODEL_SCHEMAS = ['silver', 'gold'];

/** DuckDB column types as Trino spells them. */
export function trinoType(duckType: string): string {
  const t = duckType.toUpperCase();
  if (t.startsWith('DECIMAL')) return t.toLowerCase();
  const map: Record<string, string> = {
    VARCHAR: 'varchar',
    BIGINT: 'bigint',
    INTEGER: 'integer',
    SMALLINT: 'smallint',
    DOUBLE: 'double',
    FLOAT: 'real',
    BOOLEAN: 'boolean',
    DATE: 'date',
    TIMESTAMP: 'timestamp(6)',
    'TIMESTAMP WITH TIME ZONE': 'timestamp(6) with time zone',
  };
  const mapped = map[t];
  if (!mapped) throw new Error(`no Trino type for DuckDB's ${duckType}`);
  return mapped;
}

/** What the lakehouse steps read of a lab: where a dataset's lake is, its tables, and the views that show them. */
export interface LakeLayout {
  lake(datasetDir: string): string;
  tables: readonly string[];
  sessionSetup(datasetDir: string): string[];
}

/** The learner's raw drops land in the object store (s3://lake/bronze/…), byte for byte; the hidden seed's stay local. */
export function lakeIntoObjectStore(layout: Pick<LakeLayout, 'lake'>): SeedStep<'objectStore'> {
  return {
    namespaced: false,
    async seed({ client, dir, hidden }) {
      if (hidden) return;
      await client.ensureBucket(LAKE_BUCKET);
      await client.uploadDirectory(LAKE_BUCKET, layout.lake(dir));
    },
    present: async ({ client, hidden }) => hidden || client.hasObjects(LAKE_BUCKET, 'bronze/'),
  };
}

/**
 * Each of the lab's tables (bronze.orders, …) becomes an Iceberg table in the query engine's catalog:
 * Parquet written by DuckDB into s3://warehouse, registered with add_files. The hidden seed's go
 * under hidden_bronze, so models can be graded on Trino on both seeds.
 */
export function tablesIntoIceberg(layout: LakeLayout): SeedStep<'queryEngine'> {
  return {
    namespaced: false,
    async seed(ctx) {
      const prefix = ctx.hidden ? HIDDEN_SCHEMA_PREFIX : '';
      const trino = ctx.client;
      const s3 = await ctx.service('objectStore');
      const lake = layout.lake(ctx.dir);
      await s3.ensureBucket(WAREHOUSE_BUCKET);
      const views = await SqlSession.inMemory();
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-lakehouse-'));
      try {
        for (const sql of layout.sessionSetup(ctx.dir)) await views.run(sql);
        for (const table of layout.tables) {
          const [schema, name] = table.split('.') as [string, string];
          const columns = (await views.queryObjects(`DESCRIBE ${table}`)) as Array<{ column_name: string; column_type: string }>;
          // Where a row came from, as the object store names it (not this machine's seeding folder).
          const select = columns.map((c) => (c.column_name === 'file' ? `replace(file, '${lake}/', 's3://${LAKE_BUCKET}/') AS file` : quoteIdentifier(c.column_name))).join(', ');
          const parquet = path.join(tmp, `${table}.parquet`);
          await views.run(`COPY (SELECT ${select} FROM ${table}) TO '${parquet}' (FORMAT parquet, COMPRESSION zstd)`);
          const key = `${prefix}${schema}/${name}/import/`;
          await s3.client().fPutObject(WAREHOUSE_BUCKET, `${key}${name}.parquet`, parquet);

          const target = `${ICEBERG_CATALOG}.${quoteIdentifier(prefix + schema)}.${quoteIdentifier(name)}`;
          await trino.execute(
            `CREATE SCHEMA IF NOT EXISTS ${ICEBERG_CATALOG}.${quoteIdentifier(prefix + schema)}`,
            `DROP TABLE IF EXISTS ${target}`,
            `CREATE TABLE ${target} (${columns.map((c) => `${quoteIdentifier(c.column_name)} ${trinoType(c.column_type)}`).join(', ')})`,
            `ALTER TABLE ${target} EXECUTE add_files(location => 's3://${WAREHOUSE_BUCKET}/${key}', format => 'PARQUET')`,
          );
          ctx.onTable(table, await trino.scalar(`SELECT count(*) FROM ${target}`));
        }
        if (!prefix) for (const schema of MODEL_SCHEMAS) await trino.execute(`CREATE SCHEMA IF NOT EXISTS ${ICEBERG_CATALOG}.${quoteIdentifier(schema)}`);
      } finally {
        views.close();
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
    present: async ({ client, hidden }) => catalogHasTable(client, layout.tables, hidden ? HIDDEN_SCHEMA_PREFIX : ''),
  };
}

/** Whether the catalog holds the lab's first table yet (fresh volumes hold nothing). */
export async function catalogHasTable(trino: StartedTrino, tables: readonly string[], schemaPrefix = ''): Promise<boolean> {
  const first = tables[0];
  if (!first) return true;
  const [schema, name] = first.split('.') as [string, string];
  const { rows } = await trino.query(`SELECT count(*) FROM ${ICEBERG_CATALOG}.information_schema.tables WHERE table_schema = '${schemaPrefix}${schema}' AND table_name = '${name}'`);
  return Number(rows[0]?.[0]) > 0;
}
