import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadedLab } from '../../lab/load.js';
import type { SqlSession } from '../../services/duckdb.js';
import type { StartedPostgres } from '../../services/postgres.js';
import type { SeedInto } from '../dataset-store.js';
import { quoteIdentifier } from '../../sql.js';

/** DuckDB column types as Postgres spells them; the round trip keeps every value exact. */
function postgresType(duckType: string): string {
  const t = duckType.toUpperCase();
  if (t === 'VARCHAR') return 'text';
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'timestamptz';
  if (t.startsWith('DECIMAL')) return t.replace('DECIMAL', 'numeric');
  const map: Record<string, string> = { BIGINT: 'bigint', INTEGER: 'integer', SMALLINT: 'smallint', DOUBLE: 'double precision', FLOAT: 'real', BOOLEAN: 'boolean', DATE: 'date', TIMESTAMP: 'timestamp' };
  return map[t] ?? 'text';
}

/**
 * The operational-source path of the docker runtime: the lab's generator fills DuckDB, the rows
 * are bulk-loaded into Postgres (COPY FROM STDIN) as the "production" database, and the dataset
 * the exercises query is then extracted back out of Postgres (COPY TO STDOUT) — an EL job.
 */
export function seedThroughPostgres(lab: LoadedLab, postgres: StartedPostgres, schema = 'public'): SeedInto {
  return async (session: SqlSession, opts) => {
    await lab.def.seed(session, { seed: opts.seed, scale: opts.scale });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-pg-'));
    try {
      await postgres.withClient(async (client) => {
        await client.query("SET TIME ZONE 'UTC'");
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
        for (const table of lab.def.tables) {
          const columns = (await session.queryObjects(`DESCRIBE ${table}`)) as Array<{ column_name: string; column_type: string }>;
          const csv = path.join(tmp, `${table}.csv`);
          await session.run(`COPY ${table} TO '${csv}' (FORMAT csv, HEADER true)`);
          const target = `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
          await client.query(`DROP TABLE IF EXISTS ${target} CASCADE`);
          await client.query(`CREATE TABLE ${target} (${columns.map((c) => `${quoteIdentifier(c.column_name)} ${postgresType(c.column_type)}`).join(', ')})`);
          await postgres.copyIn(client, target, csv);
          await client.query(`ANALYZE ${target}`);

          // Extract: what the learner analyses is what came out of the source database.
          await postgres.copyOut(client, `SELECT * FROM ${target}`, csv);
          const spec = columns.map((c) => `'${c.column_name}': '${c.column_type}'`).join(', ');
          await session.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM read_csv('${csv}', header = true, columns = {${spec}}, allow_quoted_nulls = false, auto_detect = false)`);
          opts.onTable(table, Number(await session.scalar(`SELECT count(*) FROM ${table}`)));
        }
      });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
}

/** Whether the source holds the lab's first table yet (fresh volumes, or a namespace never seeded). */
export async function sourceHasData(lab: LoadedLab, postgres: StartedPostgres, schema = 'public'): Promise<boolean> {
  const first = lab.def.tables[0];
  if (!first) return true;
  return postgres.withClient(async (client) => {
    const r = await client.query('SELECT to_regclass($1) AS t', [`${quoteIdentifier(schema)}.${quoteIdentifier(first)}`]);
    return r.rows[0]?.t !== null;
  });
}
