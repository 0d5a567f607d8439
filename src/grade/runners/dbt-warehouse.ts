import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LoadedLab } from '../../lab/load.js';
import type { SqlSession } from '../../services/duckdb.js';
import { StartedPostgres } from '../../services/postgres.js';
import { duckdbTypeOfPostgres, postgresType } from '../../runtime/seed/postgres.js';
import { quoteIdentifier, quoteLiteral } from '../../sql.js';
import type { Target } from './runner.js';

/** A built model or snapshot, where dbt put it, and the session table it is copied to. */
export interface BuiltTable {
  schema: string;
  name: string;
  as: string;
}

/**
 * Where dbt builds a project: a DuckDB file beside it (the local runtime), or a database of its
 * own on the stack's Postgres (containers). The grader reads what was built back into its DuckDB
 * session, so the checks are the same on both.
 */
export interface DbtWarehouse {
  /** Where the build is, for people: a file, or a database URL without its password. */
  readonly where: string;
  /** profiles.yml: the connection comes from the variables `land` and `plant` return. */
  readonly profile: string;
  /** Lands one load's source tables where the project's sources read them; the variables dbt runs with. */
  land(load: Record<string, string>): Promise<Record<string, string>>;
  /** Copies built tables into the session. */
  readBuilt(session: SqlSession, tables: BuiltTable[]): Promise<void>;
  /** Runs the grader's faults (each names its tables `w.<schema>.<table>` once `qualify` wrote them) where dbt tests next; the variables `dbt test` runs with. */
  plant(statements: (qualify: (schema: string, table: string) => string) => string[]): Promise<Record<string, string>>;
  /** What to say besides the engine's error, when a file is written in another engine's dialect. */
  dialectNote(source: string): string | undefined;
  /** Drops what the grading made (a by-hand warehouse stays). */
  close(): Promise<void>;
}

const DUCKDB_PROFILE = `lab:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('LAB_DBT_WAREHOUSE') }}"
      schema: main
      threads: 1
      attach:
        - path: "{{ env_var('LAB_DBT_RAW') }}"
          alias: raw
          read_only: true
`;

const POSTGRES_PROFILE = `lab:
  target: dev
  outputs:
    dev:
      type: postgres
      host: "{{ env_var('LAB_DBT_PG_HOST') }}"
      port: "{{ env_var('LAB_DBT_PG_PORT') | int }}"
      user: "{{ env_var('LAB_DBT_PG_USER') }}"
      password: "{{ env_var('LAB_DBT_PG_PASSWORD') }}"
      dbname: "{{ env_var('LAB_DBT_PG_DATABASE') }}"
      schema: public
      threads: 1
`;

/** The source tables of one load, as a DuckDB file dbt attaches read-only: written once per dataset revision. */
async function rawDuckdbFile(lab: LoadedLab, target: Pick<Target, 'dataset' | 'session'>, load: Record<string, string>): Promise<string> {
  const { sources } = lab.def.dbt!;
  const digest = crypto.createHash('sha256').update(JSON.stringify(sources.map((s) => [s, load[s] ?? s]))).digest('hex').slice(0, 12);
  const file = path.join(target.dataset.cacheDir, 'dbt', `raw-${digest}.duckdb`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  const alias = `dbt_raw_${process.pid}`;
  await target.session.run(`ATTACH ${quoteLiteral(tmp)} AS ${alias}`);
  try {
    for (const s of sources) await target.session.run(`CREATE TABLE ${alias}.main.${quoteIdentifier(s)} AS SELECT * FROM ${quoteIdentifier(load[s] ?? s)}`);
  } finally {
    await target.session.run(`DETACH ${alias}`);
  }
  fs.renameSync(tmp, file);
  return file;
}

/** The local warehouse: `warehouse.duckdb` in the project folder, the raw tables attached as `raw`. */
export function duckdbWarehouse(lab: LoadedLab, target: Pick<Target, 'dataset' | 'session'>, project: string): DbtWarehouse {
  const warehouse = path.join(project, 'warehouse.duckdb');
  let raw = '';
  return {
    where: warehouse,
    profile: DUCKDB_PROFILE,
    async land(load) {
      raw = await rawDuckdbFile(lab, target, load);
      return { LAB_DBT_WAREHOUSE: warehouse, LAB_DBT_RAW: raw };
    },
    async readBuilt(session, tables) {
      const alias = `dbt_out_${process.pid}`;
      await session.run(`ATTACH ${quoteLiteral(warehouse)} AS ${alias} (READ_ONLY)`);
      try {
        for (const t of tables) await session.run(`CREATE OR REPLACE TEMP TABLE ${t.as} AS SELECT * FROM ${alias}.${quoteIdentifier(t.schema)}.${quoteIdentifier(t.name)}`);
      } finally {
        await session.run(`DETACH ${alias}`);
      }
    },
    async plant(statements) {
      // On a copy: the build stays as dbt left it, for `lab run` and for a look by hand.
      const copy = path.join(project, 'planted.duckdb');
      fs.copyFileSync(warehouse, copy);
      await target.session.run(`ATTACH ${quoteLiteral(copy)} AS w`);
      try {
        for (const sql of statements((schema, table) => `w.${quoteIdentifier(schema)}.${quoteIdentifier(table)}`)) await target.session.run(sql);
      } finally {
        await target.session.run(`DETACH w`);
      }
      return { LAB_DBT_WAREHOUSE: copy, LAB_DBT_RAW: raw };
    },
    dialectNote: () => undefined,
    async close() {},
  };
}

/** DuckDB's spelling of a Postgres column type (information_schema's data_type), for reading COPY's CSV back exactly. */
function csvColumns(columns: Array<{ column_name: string; data_type: string }>): string {
  return columns.map((c) => `${quoteLiteral(c.column_name)}: ${quoteLiteral(duckdbTypeOfPostgres(c.data_type))}`).join(', ');
}

/**
 * The containers' warehouse: a database on the stack's Postgres, its sources in schema `raw`.
 * Grading makes one per run (`database` absent) and drops it after; `lab run` builds in the
 * stack's own database, where the learner can look with psql.
 */
export function postgresWarehouse(lab: LoadedLab, target: Pick<Target, 'dataset' | 'session'>, postgres: StartedPostgres, opts: { project: string; database?: string }): DbtWarehouse {
  const own = !opts.database;
  const database = opts.database ?? `lab_dbt_${crypto.createHash('sha256').update(opts.project).digest('hex').slice(0, 16)}`;
  const inDatabase = new StartedPostgres({ ...postgres.connection, database });
  const env = {
    LAB_DBT_PG_HOST: postgres.connection.host,
    LAB_DBT_PG_PORT: String(postgres.connection.port),
    LAB_DBT_PG_USER: postgres.connection.user,
    LAB_DBT_PG_PASSWORD: postgres.connection.password,
    LAB_DBT_PG_DATABASE: database,
  };
  const scratch = () => fs.mkdtempSync(path.join(target.dataset.cacheDir, '.dbt-pg-'));
  let created = false;
  return {
    where: `database ${inDatabase.displayUrl}`,
    profile: POSTGRES_PROFILE,
    async land(load) {
      if (own && !created) {
        await postgres.withClient(async (c) => {
          await c.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
          await c.query(`CREATE DATABASE ${quoteIdentifier(database)}`);
        });
        created = true;
      }
      const tmp = scratch();
      try {
        await inDatabase.withClient(async (client) => {
          await client.query("SET TIME ZONE 'UTC'");
          await client.query('CREATE SCHEMA IF NOT EXISTS raw');
          for (const s of lab.def.dbt!.sources) {
            const from = quoteIdentifier(load[s] ?? s);
            const columns = (await target.session.queryObjects(`DESCRIBE ${from}`)) as Array<{ column_name: string; column_type: string }>;
            const csv = path.join(tmp, `${s}.csv`);
            await target.session.run(`COPY (SELECT * FROM ${from}) TO ${quoteLiteral(csv)} (FORMAT csv, HEADER true)`);
            const table = `raw.${quoteIdentifier(s)}`;
            await client.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
            await client.query(`CREATE TABLE ${table} (${columns.map((c) => `${quoteIdentifier(c.column_name)} ${postgresType(c.column_type)}`).join(', ')})`);
            await inDatabase.copyIn(client, table, csv);
            await client.query(`ANALYZE ${table}`);
          }
        });
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
      return env;
    },
    async readBuilt(session, tables) {
      const tmp = scratch();
      try {
        await inDatabase.withClient(async (client) => {
          await client.query("SET TIME ZONE 'UTC'");
          for (const t of tables) {
            const columns = (await client.query('SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', [t.schema, t.name])).rows as Array<{ column_name: string; data_type: string }>;
            const csv = path.join(tmp, `${t.as}.csv`);
            await inDatabase.copyOut(client, `SELECT * FROM ${quoteIdentifier(t.schema)}.${quoteIdentifier(t.name)}`, csv);
            // COPY writes NULL unquoted and an empty string quoted: read it back the same way.
            await session.run(`CREATE OR REPLACE TEMP TABLE ${t.as} AS SELECT * FROM read_csv(${quoteLiteral(csv)}, header = true, columns = {${csvColumns(columns)}}, allow_quoted_nulls = false, auto_detect = false)`);
          }
        });
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
      }
    },
    async plant(statements) {
      // In the run's own database: the grader has read the build already.
      await inDatabase.withClient(async (client) => {
        for (const sql of statements((schema, table) => `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`)) await client.query(sql);
      });
      return env;
    },
    dialectNote: (source) => (/\bqualify\b/i.test(source.replace(/--.*$/gm, '')) ? 'Postgres has no QUALIFY (DuckDB has): rank in a subquery, keep `where version_rank = 1` outside it' : undefined),
    async close() {
      if (own && created) await postgres.withClient((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`));
    },
  };
}
