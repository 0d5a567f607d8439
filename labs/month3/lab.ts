import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTableFromRows } from '../../datasets/csv.js';
import { generateShop } from '../../datasets/shop/generate.js';
import { defineLab } from '../../src/lab/define.js';

const GENERATOR = fileURLToPath(new URL('../../datasets/shop/generate.js', import.meta.url));

const CUSTOMER = { customer_id: 'INTEGER', email: 'VARCHAR', full_name: 'VARCHAR', country: 'VARCHAR', segment: 'VARCHAR', updated_at: 'TIMESTAMP' };
const SALE = { sale_id: 'BIGINT', store_id: 'INTEGER', product_id: 'INTEGER', sold_at: 'TIMESTAMPTZ', quantity: 'INTEGER', amount: 'BIGINT' };

export default defineLab({
  name: 'month3',
  title: 'The modern data stack: dbt, a star schema with snapshots, Iceberg and Delta tables',
  summary:
    'A shop’s 3NF database becomes a dbt project: staging models, a star schema at a declared grain with conformed dimensions, tests as contracts (and one generic test of your own), a type-2 snapshot across two loads; then table formats: an Iceberg table with hidden partitioning, one day overwritten, its schema evolved; a Delta table merged, compacted and vacuumed, judged on their snapshots and files.',
  // On containers: dbt builds on the stack's Postgres (oltp), Iceberg tables go through its REST catalog into MinIO; locally DuckDB, SQLite and files.
  roles: ['sql', 'python', 'oltp', 'objectStore', 'catalog'],
  sqlEngine: { local: 'DuckDB', docker: 'DuckDB' },
  // A grading run creates and drops a database of its own: a shared server's schema is not enough.
  onlyOn: { runtimes: ['local', 'docker'], why: 'grading dbt creates a database per run, which a shared Postgres (one schema per learner) does not allow' },
  needs: { python: true, memoryGiB: 2 },
  // dbt-core with dbt-duckdb (local) or dbt-postgres (containers) builds the project; pyiceberg (SQL catalog on SQLite, or the stack's REST catalog) and deltalake write the tables.
  pythonRequirements: 'requirements.txt',
  // The dbt project the exercises' files complete; its sources read these tables, attached as `raw`.
  dbt: { project: 'dbt', sources: ['customers', 'products', 'orders', 'order_lines'] },
  tables: ['customers', 'products', 'orders', 'order_lines', 'customers_second_load', 'sales', 'sales_restated', 'sales_with_currency'],
  datasetVersion: (seed, scale) => crypto.createHash('sha256').update(fs.readFileSync(GENERATOR)).update(`${seed}/${scale}`).digest('hex').slice(0, 16),
  async seed(session, { seed, scale, dir, onTable }) {
    const t0 = performance.now();
    const data = generateShop(seed, scale);
    const work = fs.mkdtempSync(path.join(dir ?? fs.realpathSync(process.env.TMPDIR ?? '/tmp'), '.csv-'));
    try {
      const table = async (name: string, rows: ReadonlyArray<object>, columns: Record<string, string>, orderBy: string) => {
        await createTableFromRows(session, work, name, rows, columns, orderBy);
        onTable?.(name, rows.length, performance.now() - t0);
      };
      await table('customers', data.customers, CUSTOMER, 'customer_id, updated_at');
      await table('customers_second_load', data.customersSecondLoad, CUSTOMER, 'customer_id, updated_at');
      await table('products', data.products, { product_id: 'INTEGER', sku: 'VARCHAR', product_name: 'VARCHAR', category: 'VARCHAR', list_price_cents: 'BIGINT' }, 'product_id');
      await table('orders', data.orders, { order_id: 'INTEGER', customer_id: 'INTEGER', status: 'VARCHAR', ordered_at: 'TIMESTAMP', updated_at: 'TIMESTAMP' }, 'order_id, updated_at');
      await table('order_lines', data.orderLines, { order_id: 'INTEGER', line_no: 'INTEGER', product_id: 'INTEGER', quantity: 'INTEGER', unit_price_cents: 'BIGINT', discount_cents: 'BIGINT' }, 'order_id, line_no');
      await table('sales', data.sales, SALE, 'sale_id');
      await table('sales_restated', data.restatements, SALE, 'sale_id');
      await table('sales_with_currency', data.salesWithCurrency, { ...SALE, currency: 'VARCHAR' }, 'sale_id');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  },
});
