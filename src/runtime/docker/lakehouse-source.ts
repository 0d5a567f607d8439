import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadedLab } from '../../lab/load.js';
import { SqlSession } from '../../services/duckdb.js';
import { ICEBERG_CATALOG, type StartedTrino } from '../../services/trino.js';
import type { SeedInto } from '../dataset-store.js';
import type { Dataset, Lakehouse } from '../runtime.js';
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

/**
 * The lakehouse path of the docker runtime: the lab's generator writes the lake, its raw drops
 * land in the object store (s3://lake/bronze/…), and each of the lab's tables (bronze.orders, …)
 * becomes an Iceberg table in Trino's catalog over Parquet in s3://warehouse, registered with
 * add_files. A plain `lab check` reads the same lake from DuckDB, as on the local runtime;
 * `lab check --engine trino` builds the models on these tables.
 */
export function seedThroughLakehouse(lab: LoadedLab, lakehouse: Lakehouse): SeedInto {
  return async (session, opts) => {
    await lab.def.seed(session, { seed: opts.seed, scale: opts.scale, dir: opts.dir, onTable: () => undefined });
    await lakehouse.s3.ensureBucket(LAKE_BUCKET);
    await lakehouse.s3.uploadDirectory(LAKE_BUCKET, lab.def.lake!(opts.dir));
    await publishLakehouseTables(lab, opts.dir, lakehouse, { onTable: opts.onTable });
  };
}

/**
 * The graders' second seed, in the catalog under hidden_bronze; published again whenever that
 * dataset was re-seeded or the catalog lost it (fresh volumes).
 */
export async function publishHiddenDataset(lab: LoadedLab, hidden: Dataset, lakehouse: Lakehouse): Promise<void> {
  const marker = path.join(hidden.dir, 'published-to-lakehouse.json');
  const seeded = fs.readFileSync(path.join(hidden.dir, 'dataset.json'), 'utf8');
  const current = fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === seeded && (await lakehouseHasData(lab, lakehouse.trino, HIDDEN_SCHEMA_PREFIX));
  if (current) return;
  await publishLakehouseTables(lab, hidden.dir, lakehouse, { schemaPrefix: HIDDEN_SCHEMA_PREFIX });
  fs.writeFileSync(marker, seeded);
}

/**
 * Registers each of the lab's tables (bronze.orders, …) of a seeded dataset as an Iceberg table:
 * Parquet written by DuckDB into s3://warehouse, added with add_files. `schemaPrefix` keeps a
 * second dataset apart (the hidden seed the graders use lives in hidden_bronze).
 */
async function publishLakehouseTables(lab: LoadedLab, datasetDir: string, { s3, trino }: Lakehouse, opts: { schemaPrefix?: string; onTable?: (table: string, rows: number) => void } = {}): Promise<void> {
  const prefix = opts.schemaPrefix ?? '';
  const lake = lab.def.lake!(datasetDir);
  await s3.ensureBucket(WAREHOUSE_BUCKET);
  const views = await SqlSession.inMemory();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-lakehouse-'));
  try {
    for (const sql of lab.def.sessionSetup?.(datasetDir) ?? []) await views.run(sql);
    for (const table of lab.def.tables) {
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
      opts.onTable?.(table, await trino.scalar(`SELECT count(*) FROM ${target}`));
    }
    if (!prefix) for (const schema of MODEL_SCHEMAS) await trino.execute(`CREATE SCHEMA IF NOT EXISTS ${ICEBERG_CATALOG}.${quoteIdentifier(schema)}`);
  } finally {
    views.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Whether the catalog holds the lab's first table yet (fresh volumes hold nothing). */
export async function lakehouseHasData(lab: LoadedLab, trino: StartedTrino, schemaPrefix = ''): Promise<boolean> {
  const first = lab.def.tables[0];
  if (!first) return true;
  const [schema, name] = first.split('.') as [string, string];
  const { rows } = await trino.query(`SELECT count(*) FROM ${ICEBERG_CATALOG}.information_schema.tables WHERE table_schema = '${schemaPrefix}${schema}' AND table_name = '${name}'`);
  return Number(rows[0]?.[0]) > 0;
}
