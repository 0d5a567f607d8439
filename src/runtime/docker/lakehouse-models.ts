import fs from 'node:fs';
import path from 'node:path';
import type { StartedS3 } from '../../services/s3.js';
import { ICEBERG_CATALOG, type StartedTrino, type TrinoQueryError } from '../../services/trino.js';
import { quoteIdentifier } from '../../sql.js';

/** The Iceberg table a model writes: `silver.orders` is iceberg."silver"."orders". */
function icebergTable(model: { layer: string; table: string }): string {
  return `${ICEBERG_CATALOG}.${quoteIdentifier(model.layer)}.${quoteIdentifier(model.table)}`;
}

/**
 * Builds one model on Trino: `CREATE OR REPLACE TABLE … AS <the model's query>`, partitioned as
 * its `-- @partition_by` line says. Each run is a new snapshot of the same Iceberg table, so the
 * previous build stays readable (`FOR VERSION AS OF`) until it expires.
 */
export async function buildModelOnTrino(trino: StartedTrino, model: { layer: string; table: string; sql: string; partitionBy?: string }): Promise<number> {
  const body = model.sql.replace(/[\s;]+$/, '');
  const props = model.partitionBy ? ` WITH (partitioning = ARRAY['${model.partitionBy}'])` : '';
  await trino.execute(`CREATE SCHEMA IF NOT EXISTS ${ICEBERG_CATALOG}.${quoteIdentifier(model.layer)}`);
  await trino.execute(`CREATE OR REPLACE TABLE ${icebergTable(model)}${props} AS\n${body}`);
  return trino.scalar(`SELECT count(*) FROM ${icebergTable(model)}`);
}

/** A model's failure on Trino as `file:line: Trino: message`, the line counted in the learner's file. */
export function modelErrorMessage(rel: string, err: TrinoQueryError): string {
  // Line 1 of the statement is the runner's CREATE TABLE … AS: the model starts on line 2.
  const at = err.line && err.line > 1 ? `:${err.line - 1}` : '';
  return `${rel}${at}: Trino: ${err.reason}`;
}

/**
 * Copies the data files of an Iceberg table's current snapshot from the object store into `dir`,
 * keeping the partition folders Trino wrote (order_date=2024-01-01/…): the very files, for DuckDB to read.
 */
export async function downloadTableFiles(trino: StartedTrino, s3: StartedS3, table: { layer: string; table: string }, dir: string): Promise<string[]> {
  const { rows } = await trino.query(`SELECT file_path FROM ${icebergTable({ layer: table.layer, table: `${table.table}$files` })}`);
  const client = s3.client();
  const files: string[] = [];
  for (const [filePath] of rows as Array<[string]>) {
    const m = /^s3a?:\/\/([^/]+)\/(.+\/data\/(.+))$/.exec(filePath);
    if (!m) throw new Error(`unexpected data file location ${filePath}`);
    const local = path.join(dir, m[3]!);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    await client.fGetObject(m[1]!, m[2]!, local);
    files.push(local);
  }
  return files;
}
