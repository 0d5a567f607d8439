import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SeedStep } from '../../lab/define.js';
import { quoteIdentifier } from '../../sql.js';

/** DuckDB column types as Postgres spells them; the round trip keeps every value exact. */
export function postgresType(duckType: string): string {
  const t = duckType.toUpperCase();
  if (t === 'VARCHAR') return 'text';
  if (t === 'TIMESTAMP WITH TIME ZONE') return 'timestamptz';
  if (t.startsWith('DECIMAL')) return t.replace('DECIMAL', 'numeric');
  const map: Record<string, string> = { BIGINT: 'bigint', INTEGER: 'integer', SMALLINT: 'smallint', DOUBLE: 'double precision', FLOAT: 'real', BOOLEAN: 'boolean', DATE: 'date', TIMESTAMP: 'timestamp' };
  return map[t] ?? 'text';
}

/** A Postgres column type (information_schema's data_type) as DuckDB spells it, to read COPY's CSV back exactly. */
export function duckdbTypeOfPostgres(pgType: string): string {
  const map: Record<string, string> = {
    bigint: 'BIGINT',
    integer: 'INTEGER',
    smallint: 'SMALLINT',
    'double precision': 'DOUBLE',
    real: 'FLOAT',
    // An unconstrained numeric (a sum, a division) has no width DuckDB can hold exactly.
    numeric: 'DOUBLE',
    boolean: 'BOOLEAN',
    date: 'DATE',
    'timestamp without time zone': 'TIMESTAMP',
    'timestamp with time zone': 'TIMESTAMPTZ',
  };
  return map[pgType] ?? 'VARCHAR';
}

/**
 * The operational source: the generated rows are bulk-loaded into Postgres (COPY FROM STDIN) as
 * the "production" database, and the dataset the exercises query is extracted back out of it
 * (COPY TO STDOUT) — an EL job. The hidden seed stays in DuckDB: the source is the learner's.
 */
export function tablesThroughPostgres(tables: readonly string[]): SeedStep<'oltp'> {
  return {
    namespaced: true,
    async seed({ client: postgres, session, hidden, namespace, onTable }) {
      if (hidden) return;
      const schema = namespace.schema;
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-pg-'));
      try {
        await postgres.withClient(async (client) => {
          await client.query("SET TIME ZONE 'UTC'");
          await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
          for (const table of tables) {
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
            onTable(table, Number(await session.scalar(`SELECT count(*) FROM ${table}`)));
          }
        });
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
    async present({ client: postgres, hidden, namespace }) {
      const first = tables[0];
      if (hidden || !first) return true;
      return postgres.withClient(async (client) => {
        const r = await client.query('SELECT to_regclass($1) AS t', [`${quoteIdentifier(namespace.schema)}.${quoteIdentifier(first)}`]);
        return r.rows[0]?.t !== null;
      });
    },
  };
}
