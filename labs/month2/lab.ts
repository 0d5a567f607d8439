import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDaily } from '../../datasets/daily/generate.js';
import { toCsv } from '../../datasets/csv.js';
import { defineLab } from '../../src/lab/define.js';
import { quoteLiteral } from '../../src/sql.js';

const GENERATOR = fileURLToPath(new URL('../../datasets/daily/generate.js', import.meta.url));

/** The folder of a dataset the nightly export lands its drops in: landing/<day>/orders.jsonl. */
export const landingDir = (datasetDir: string) => path.join(datasetDir, 'landing');

export default defineLab({
  name: 'month2',
  title: 'From crons to a DAG orchestrator, from loops to Spark',
  summary: 'A fragile cron script becomes a Prefect flow (a task per day, idempotent, retried with backoff, waiting for late data, backfilled concurrently, recovering from an outage); then Spark: broadcast joins, built-in functions instead of UDFs, a skewed join, caching, read in the query plan, and a partitioned write with one file per day.',
  roles: ['sql', 'python', 'orchestrator', 'spark'],
  // On containers the Spark exercises run on the stack's Spark Connect server; locally, Spark local[2] in the venv.
  sparkOnStack: true,
  sqlEngine: { local: 'DuckDB', docker: 'DuckDB' },
  needs: { python: true, jdk: true, memoryGiB: 3 },
  // Prefect 3 runs the flows (its server is a local process from this venv); PySpark runs Spark local[2] on the JDK, or is the Spark Connect client.
  pythonRequirements: 'requirements.txt',
  // `faults` is the grader's: which days the source fails, lands late or is down.
  tables: ['landing_orders', 'customers', 'events'],
  datasetVersion: (seed, scale) => crypto.createHash('sha256').update(fs.readFileSync(GENERATOR)).update(`${seed}/${scale}`).digest('hex').slice(0, 16),
  async seed(session, { seed, scale, dir, onTable }) {
    if (!dir) throw new Error('month2 seeds files: the dataset folder is required');
    const t0 = performance.now();
    const data = generateDaily(seed, scale);
    const landing = landingDir(dir);
    for (const day of data.days) {
      fs.mkdirSync(path.join(landing, day), { recursive: true });
      const lines = data.landing.filter((l) => l.day === day).map(({ order_id, customer_id, status, amount_cents, updated_at }) => JSON.stringify({ order_id, customer_id, status, amount_cents, updated_at }));
      fs.writeFileSync(path.join(landing, day, 'orders.jsonl'), `${lines.join('\n')}\n`);
    }
    const work = fs.mkdtempSync(path.join(dir, '.csv-'));
    try {
      const csv = (name: string, rows: ReadonlyArray<object>, columns: string[]) => {
        const file = path.join(work, `${name}.csv`);
        fs.writeFileSync(file, toCsv(rows, columns));
        return quoteLiteral(file);
      };
      await session.run(`CREATE OR REPLACE TABLE landing_orders AS SELECT day::DATE AS day, line, order_id, customer_id, status, amount_cents, updated_at::TIMESTAMPTZ AS updated_at
        FROM read_csv(${csv('landing', data.landing, ['day', 'line', 'order_id', 'customer_id', 'status', 'amount_cents', 'updated_at'])}, header = true, columns = {day: 'VARCHAR', line: 'INTEGER', order_id: 'VARCHAR', customer_id: 'INTEGER', status: 'VARCHAR', amount_cents: 'BIGINT', updated_at: 'VARCHAR'}) ORDER BY day, line`);
      onTable?.('landing_orders', data.landing.length, performance.now() - t0);
      await session.run(`CREATE OR REPLACE TABLE customers AS SELECT * FROM read_csv(${csv('customers', data.customers, ['customer_id', 'country', 'segment'])}, header = true, columns = {customer_id: 'INTEGER', country: 'VARCHAR', segment: 'VARCHAR'}) ORDER BY customer_id`);
      onTable?.('customers', data.customers.length, 0);
      await session.run(`CREATE OR REPLACE TABLE events AS SELECT event_id, customer_id, kind, amount_cents, ts::TIMESTAMPTZ AS ts
        FROM read_csv(${csv('events', data.events, ['event_id', 'customer_id', 'kind', 'amount_cents', 'ts'])}, header = true, columns = {event_id: 'BIGINT', customer_id: 'INTEGER', kind: 'VARCHAR', amount_cents: 'BIGINT', ts: 'VARCHAR'}) ORDER BY event_id`);
      onTable?.('events', data.events.length, 0);
      await session.run(`CREATE OR REPLACE TABLE faults AS SELECT day::DATE AS day, transient_failures, late_ms, outage
        FROM read_csv(${csv('faults', data.faults, ['day', 'transient_failures', 'late_ms', 'outage'])}, header = true, columns = {day: 'VARCHAR', transient_failures: 'INTEGER', late_ms: 'INTEGER', outage: 'BOOLEAN'}) ORDER BY day`);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
  dataFolders: (datasetDir) => [landingDir(datasetDir)],
});
