import { describe, expect, it } from 'vitest';
import { renameSchemas } from '../../../src/runtime/models/trino.js';

const names = { bronze: 'hidden_bronze', silver: 'ref_silver', gold: 'ref_gold' };

describe('renameSchemas: a model reads the tables the grader chose', () => {
  it('renames schema qualifiers, whatever their case, and nothing else', () => {
    expect(renameSchemas('SELECT o.id FROM silver.orders o JOIN GOLD.dim_date d ON true, bronze.orders', names)).toBe(
      'SELECT o.id FROM ref_silver.orders o JOIN ref_gold.dim_date d ON true, hidden_bronze.orders',
    );
    // a column or alias called silver is not a schema; neither is the middle of iceberg.silver.orders
    expect(renameSchemas('SELECT silver, gold FROM iceberg.silver.orders silver', names)).toBe('SELECT silver, gold FROM iceberg.silver.orders silver');
  });

  it('leaves strings, quoted names and comments alone, and keeps every line where it was', () => {
    const sql = "-- reads silver.orders\nSELECT 'silver.orders' AS s, \"silver\".x, 'it''s silver.y'\n/* gold.x\n */ FROM silver.orders";
    const renamed = renameSchemas(sql, names);
    expect(renamed).toBe("-- reads silver.orders\nSELECT 'silver.orders' AS s, \"silver\".x, 'it''s silver.y'\n/* gold.x\n */ FROM ref_silver.orders");
    expect(renamed.split('\n')).toHaveLength(sql.split('\n').length);
  });
});
