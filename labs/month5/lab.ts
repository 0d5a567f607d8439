import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePayments } from '../../datasets/payments/generate.js';
import { toCsv } from '../../datasets/csv.js';
import { defineLab } from '../../src/lab/define.js';
import { quoteLiteral } from '../../src/sql.js';

const GENERATOR = fileURLToPath(new URL('../../datasets/payments/generate.js', import.meta.url));

export default defineLab({
  name: 'month5',
  title: 'Real-time fraud detection: Kafka and a Redis feature store',
  summary: 'A card-payment stream on a real Kafka broker; detectors that keep per-card state in Redis, judged by precision and recall against hidden labels.',
  roles: ['sql', 'python', 'stream', 'cache'],
  sqlEngine: { local: 'DuckDB', docker: 'DuckDB' },
  needs: { python: true, jdk: true, memoryGiB: 3 },
  // Exercise 10 runs on Spark Structured Streaming: pyspark, and its Kafka source from Maven Central.
  pythonRequirements: 'requirements.txt',
  sparkJars: 'spark-kafka.pom.xml',
  // `labels` and `planted` are the grader's: what a detector should find, and where the traps are.
  tables: ['payments'],
  datasetVersion: (seed, scale) => crypto.createHash('sha256').update(fs.readFileSync(GENERATOR)).update(`${seed}/${scale}`).digest('hex').slice(0, 16),
  async seed(session, { seed, scale, dir, onTable }) {
    const t0 = performance.now();
    const stream = generatePayments(seed, scale);
    const work = fs.mkdtempSync(path.join(dir ?? os.tmpdir(), 'payments-'));
    try {
      const write = (name: string, rows: Array<Record<string, string | number>>, columns: string[]) => {
        const file = path.join(work, `${name}.csv`);
        fs.writeFileSync(file, toCsv(rows, columns));
        return quoteLiteral(file);
      };
      const payments = write('payments', stream.payments as unknown as Array<Record<string, number | string>>, ['seq', 'event_id', 'card_id', 'account_id', 'merchant_id', 'merchant_category', 'amount_cents', 'currency', 'country', 'device_id', 'event_time', 'arrived_at']);
      await session.run(`CREATE OR REPLACE TABLE payments AS
        SELECT seq::INTEGER AS seq, event_id, card_id, account_id, merchant_id, merchant_category, (amount_cents / 100)::DECIMAL(10,2) AS amount, currency, country, device_id,
               make_timestamp(event_time * 1000) AS event_time, make_timestamp(arrived_at * 1000) AS arrived_at
        FROM read_csv(${payments}, header = true, columns = {seq: 'BIGINT', event_id: 'VARCHAR', card_id: 'VARCHAR', account_id: 'VARCHAR', merchant_id: 'VARCHAR', merchant_category: 'VARCHAR', amount_cents: 'BIGINT', currency: 'VARCHAR', country: 'VARCHAR', device_id: 'VARCHAR', event_time: 'BIGINT', arrived_at: 'BIGINT'})
        ORDER BY seq`);
      onTable?.('payments', stream.payments.length, performance.now() - t0);
      const labels = write('labels', stream.labels as unknown as Array<Record<string, string>>, ['rule', 'card_id', 'event_id']);
      await session.run(`CREATE OR REPLACE TABLE labels AS SELECT * FROM read_csv(${labels}, header = true, columns = {rule: 'VARCHAR', card_id: 'VARCHAR', event_id: 'VARCHAR'})`);
      const planted = write('planted', stream.planted as unknown as Array<Record<string, string>>, ['card_id', 'pattern', 'note']);
      await session.run(`CREATE OR REPLACE TABLE planted AS SELECT * FROM read_csv(${planted}, header = true, columns = {card_id: 'VARCHAR', pattern: 'VARCHAR', note: 'VARCHAR'})`);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
});
