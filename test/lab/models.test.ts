import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors.js';
import { materializeModel, modelDir, orderModels, parseModel, type Model } from '../../src/lab/models.js';
import { SqlSession } from '../../src/services/duckdb.js';
import { scratchDir } from '../helpers.js';

const model = (name: string, sql: string): Model => parseModel(`/models/${name}.sql`, sql);

describe('models', () => {
  it('read their table from the file name, upstream tables from the SQL, and the partition directive', () => {
    const m = model('gold.fact_sales', `-- reads silver.ignored_in_a_comment\n-- @partition_by order_date\nSELECT * FROM silver.orders o JOIN gold.dim_customer c USING (customer_id) WHERE o.note <> 'silver.not_a_table'`);
    expect(m).toMatchObject({ name: 'gold.fact_sales', layer: 'gold', table: 'fact_sales', partitionBy: 'order_date' });
    expect(m.deps.sort()).toEqual(['gold.dim_customer', 'silver.orders']);
    expect(() => parseModel('/models/orders.sql', 'SELECT 1')).toThrow(/not a model file name/);
  });

  it('run in dependency order, whatever order the files come in', () => {
    const models = [
      model('gold.mart', 'SELECT * FROM gold.fact'),
      model('gold.fact', 'SELECT * FROM silver.orders JOIN silver.customers USING (id)'),
      model('silver.customers', 'SELECT * FROM bronze.customers'),
      model('silver.orders', 'SELECT * FROM bronze.orders'),
    ];
    const order = orderModels(models).map((m) => m.name);
    expect(order.indexOf('silver.orders')).toBeLessThan(order.indexOf('gold.fact'));
    expect(order.indexOf('silver.customers')).toBeLessThan(order.indexOf('gold.fact'));
    expect(order.at(-1)).toBe('gold.mart');
  });

  it('a cycle or a table no model builds is one clear error', () => {
    const cycle = [model('silver.a', 'SELECT * FROM silver.b'), model('silver.b', 'SELECT * FROM gold.c'), model('gold.c', 'SELECT * FROM silver.a')];
    expect(() => orderModels(cycle)).toThrow(LabError);
    expect(() => orderModels(cycle)).toThrow(/cycle: (gold\.c → silver\.a → silver\.b → gold\.c|silver\.a → silver\.b → gold\.c → silver\.a)\./);
    expect(() => orderModels([model('gold.x', 'SELECT * FROM silver.missing')])).toThrow(/gold\.x\.sql reads silver\.missing, which no model builds/);
  });

  it('materialize as Parquet under partition folders, replacing the previous run, and read back as a view', async () => {
    const lake = path.join(scratchDir('models'), 'lake');
    const session = await SqlSession.inMemory();
    await session.run('CREATE SCHEMA silver');
    const m = model('silver.days', "-- @partition_by d\nSELECT i AS id, DATE '2024-01-01' + (i % 3)::INT AS d FROM range(30) t(i)");
    const first = await materializeModel(session, m, modelDir(lake, m.name));
    expect(first).toMatchObject({ rows: 30, partitionBy: 'd' });
    const folders = fs.readdirSync(modelDir(lake, m.name)).sort();
    expect(folders).toEqual(['d=2024-01-01', 'd=2024-01-02', 'd=2024-01-03']);
    const again = await materializeModel(session, m, modelDir(lake, m.name));
    expect(again.rows).toBe(30); // replaced, not appended
    expect(await session.queryObjects("SELECT count(*)::INT AS n, typeof(any_value(d)) AS t FROM silver.days WHERE d = DATE '2024-01-02'")).toEqual([{ n: 10, t: 'DATE' }]);
    const empty = await materializeModel(session, model('silver.none', '-- @partition_by d\nSELECT 1 AS id, CURRENT_DATE AS d WHERE false'), modelDir(lake, 'silver.none'));
    expect(empty.rows).toBe(0);
    expect(await session.queryObjects('SELECT * FROM silver.none')).toEqual([]);
    session.close();
  });
});
