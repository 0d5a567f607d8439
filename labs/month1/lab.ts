import crypto from 'node:crypto';
import { ECOMMERCE_TABLES, ecommerceStatements } from '../../datasets/ecommerce/generate.js';
import { defineLab } from '../../src/lab/define.js';
import { tablesThroughPostgres } from '../../src/runtime/seed/postgres.js';

export default defineLab({
  name: 'month1',
  title: 'Python for data and advanced SQL',
  summary: 'Window functions, CTEs and vectorized pandas/polars on a messy e-commerce dataset.',
  roles: ['sql', 'python', 'oltp'],
  sqlEngine: { local: 'DuckDB', docker: 'DuckDB' },
  needs: { python: true, memoryGiB: 2 },
  tables: ECOMMERCE_TABLES,
  pythonRequirements: 'requirements.txt',
  datasetVersion: (seed, scale) =>
    crypto.createHash('sha256').update(ecommerceStatements(seed, scale).map((s) => s.sql).join(';')).digest('hex').slice(0, 16),
  async seed(session, { seed, scale, onTable }) {
    const count = async (table: string) => Number(await session.scalar(`SELECT count(*) FROM ${table}`));
    for (const step of ecommerceStatements(seed, scale)) {
      const t0 = performance.now();
      await session.run(step.sql);
      if ((ECOMMERCE_TABLES as readonly string[]).includes(step.name)) onTable?.(step.name, await count(step.name), performance.now() - t0);
    }
    // A later step adds rows to earlier tables (the planted ties): report what the tables hold now.
    for (const table of ECOMMERCE_TABLES) onTable?.(table, await count(table), 0);
  },
  // On a stack with Postgres, the shop's rows live there (the operational source) and the dataset is extracted from it.
  seedsInto: { oltp: tablesThroughPostgres(ECOMMERCE_TABLES) },
});
