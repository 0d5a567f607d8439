import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareTables } from '../../src/lab/compare.js';
import { SqlSession } from '../../src/services/duckdb.js';

let session: SqlSession;
beforeEach(async () => {
  session = await SqlSession.inMemory();
  await session.run(`CREATE TEMP TABLE reference AS SELECT * FROM (VALUES
    (1, 'a', 10.50::DECIMAL(10,2), DATE '2024-01-01'),
    (2, 'b', 20.25::DECIMAL(10,2), DATE '2024-01-02'),
    (3, 'c', 30.00::DECIMAL(10,2), DATE '2024-01-03')) t(id, name, amount, day)`);
});
afterEach(() => session.close());

const learner = (sql: string) => session.run(`CREATE OR REPLACE TEMP TABLE learner AS ${sql}`);

describe('compareTables', () => {
  it('passes the same rows in another order and with other numeric types', async () => {
    await learner(`SELECT * FROM (VALUES (3, 'c', 30.0::DOUBLE, DATE '2024-01-03'), (1, 'a', 10.5, DATE '2024-01-01'), (2, 'b', 20.25, DATE '2024-01-02')) t(id, name, amount, day)`);
    const r = await compareTables(session, 'learner', 'reference');
    expect(r).toEqual({ status: 'pass', message: '3 rows match the reference' });
  });

  it('accepts floats within tolerance, also across a rounding boundary', async () => {
    await learner(`SELECT id, name, amount::DOUBLE + 0.0000004 AS amount, day FROM reference`);
    expect((await compareTables(session, 'learner', 'reference')).status).toBe('pass');
    await learner(`SELECT id, name, amount::DOUBLE + 0.01 AS amount, day FROM reference`);
    expect((await compareTables(session, 'learner', 'reference')).status).toBe('fail');
  });

  it('names a missing column and lists the columns it wants', async () => {
    await learner(`SELECT id, name, day FROM reference`);
    const r = await compareTables(session, 'learner', 'reference');
    expect(r.status).toBe('fail');
    expect(r.message).toBe('missing column `amount`: the result must have exactly the columns id, name, amount, day');
  });

  it('names an unexpected column', async () => {
    await learner(`SELECT *, 1 AS rn FROM reference`);
    const r = await compareTables(session, 'learner', 'reference');
    expect(r.message).toMatch(/^unexpected column `rn`/);
  });

  it('matches column names case-insensitively', async () => {
    await learner(`SELECT id AS ID, name AS Name, amount, day FROM reference`);
    expect((await compareTables(session, 'learner', 'reference')).status).toBe('pass');
  });

  it('says when a column has a type that cannot match', async () => {
    await learner(`SELECT id, name, amount, day::VARCHAR AS day FROM reference`);
    const r = await compareTables(session, 'learner', 'reference');
    expect(r.message).toBe('column `day` is VARCHAR, expected DATE');
  });

  it('counts missing and unexpected rows, shows examples and the first differing row', async () => {
    await learner(`SELECT id, CASE WHEN id = 2 THEN 'B' ELSE name END AS name, amount, day FROM reference WHERE id <> 3`);
    const r = await compareTables(session, 'learner', 'reference', { key: ['id'] });
    expect(r.status).toBe('fail');
    const lines = r.message.split('\n');
    expect(lines[0]).toBe('expected 3 rows, got 2; 2 expected rows missing; 1 unexpected row');
    expect(lines[1]).toBe("first differing row (id = 2): name expected 'b', got 'B'");
    expect(lines[2]).toMatch(/^missing, e\.g\. \{id: 2, name: 'b', amount: 20\.25, day: '2024-01-02'\} \{id: 3/);
    expect(lines[3]).toMatch(/^unexpected, e\.g\. \{id: 2, name: 'B'/);
  });

  it('treats rows as a multiset: a duplicated row is unexpected', async () => {
    await learner(`SELECT * FROM reference UNION ALL SELECT * FROM reference WHERE id = 1`);
    const r = await compareTables(session, 'learner', 'reference');
    expect(r.message.split('\n')[1]).toBe('expected 3 rows, got 4; 1 unexpected row');
  });

  it('names a repeated key first: which key, how often, and what the reference has', async () => {
    await learner(`SELECT * FROM reference UNION ALL SELECT * FROM reference UNION ALL SELECT * FROM reference WHERE id = 2`);
    const r = await compareTables(session, 'learner', 'reference', { key: ['id'] });
    expect(r.message.split('\n')[0]).toBe('id 2 appears 3 times (3 rows where the reference has 1), and 2 more ids repeat: deduplicate, so each id is one row');
  });

  it('shows values as the learner wrote them: numbers unquoted, DECIMAL with its scale, TIMESTAMP without an added offset', async () => {
    await session.run(`CREATE OR REPLACE TEMP TABLE reference AS SELECT 44::BIGINT AS customer_id, 12.30::DECIMAL(10,2) AS amount, TIMESTAMP '2024-01-02 03:04:05' AS at`);
    await learner(`SELECT 44::BIGINT AS customer_id, 12.40::DECIMAL(10,2) AS amount, TIMESTAMP '2024-01-02 03:04:05' AS at`);
    const r = await compareTables(session, 'learner', 'reference', { key: ['customer_id'] });
    expect(r.message).toMatch(/first differing row \(customer_id = 44\): amount expected 12\.30, got 12\.40/);
    expect(r.message).toMatch(/missing, e\.g\. \{customer_id: 44, amount: 12\.30, at: '2024-01-02 03:04:05'\}/);
    expect(r.message).not.toMatch(/\+00/);
  });

  it('checks the order when the exercise asks for one', async () => {
    await learner(`SELECT * FROM reference ORDER BY id DESC`);
    expect((await compareTables(session, 'learner', 'reference')).status).toBe('pass');
    const r = await compareTables(session, 'learner', 'reference', { orderBy: ['day'] });
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/not in the asked order \(ORDER BY day\): row 2 \{day: '2024-01-02'\} should come earlier/);
    expect((await compareTables(session, 'learner', 'reference', { orderBy: ['day DESC'] })).status).toBe('pass');
  });

  it('compares NULLs as equal values', async () => {
    await session.run(`CREATE OR REPLACE TEMP TABLE reference AS SELECT * FROM (VALUES (1, NULL), (2, 'x')) t(id, v)`);
    await learner(`SELECT * FROM (VALUES (2, 'x'), (1, NULL)) t(id, v)`);
    expect((await compareTables(session, 'learner', 'reference')).status).toBe('pass');
  });
});
