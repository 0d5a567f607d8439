import { defineExercise, expectIdempotent, expectNoRows, expectSameRows } from '../../../../src/lab/checks.js';
import { UNPARSEABLE_ORDER_LINE, WRONG_TYPE_ORDER_LINE } from '../../traps.js';

// Silver's validity rules, as 01 (orders) and 03 (order lines) apply them. CASE first: `->>` on a
// line that does not parse is an error, and DuckDB evaluates every operand of an AND.
const validOrder = `CASE WHEN json_valid(line) THEN
    try_cast(line->>'order_id' AS BIGINT) IS NOT NULL
    AND try_cast(coalesce(line->>'customer_id', line->>'customer') AS BIGINT) IS NOT NULL
    AND try_cast(line->>'ordered_at' AS TIMESTAMPTZ) IS NOT NULL
    AND try_cast(line->>'updated_at' AS TIMESTAMPTZ) IS NOT NULL
  ELSE false END`;
const validOrderLine = `CASE WHEN json_valid(line) THEN
    try_cast(line->>'order_id' AS BIGINT) IS NOT NULL
    AND try_cast(line->>'line_no' AS INTEGER) IS NOT NULL
    AND try_cast(line->>'product_id' AS BIGINT) IS NOT NULL
    AND try_cast(line->>'quantity' AS INTEGER) IS NOT NULL
    AND try_cast(line->>'unit_price' AS DECIMAL(10, 2)) IS NOT NULL
  ELSE false END`;

export default defineExercise({
  title: 'silver.quarantine: every line silver leaves out, and why',
  kind: 'model',
  file: 'silver.quarantine.sql',
  traps: [
    UNPARSEABLE_ORDER_LINE,
    WRONG_TYPE_ORDER_LINE,
    { name: 'an order line with the quantity in words', count: `SELECT count(*) FROM bronze.order_lines WHERE json_valid(line) AND try_cast(line->>'quantity' AS INTEGER) IS NULL` },
    { name: 'a broken line exported twice (quarantined twice)', count: `SELECT count(*) FROM (SELECT line FROM bronze.orders WHERE NOT json_valid(line) GROUP BY line HAVING count(*) > 1)` },
  ],
  checks: [
    // The reason is free text: only which lines are quarantined is compared.
    expectSameRows({ key: ['source', 'line'], columns: ['source', 'dt', 'file', 'line'] }),
    expectNoRows(
      'every quarantined line has a reason',
      `SELECT source, dt, file, line FROM learner WHERE reason IS NULL OR trim(reason::VARCHAR) = '' ORDER BY ALL`,
      'quarantined lines have no reason (say why each line was left out: whoever fixes the export reads it)',
    ),
    expectNoRows(
      'none lost: bronze lines = valid lines + quarantined lines',
      `WITH bronze_lines AS (
         SELECT 'orders' AS source, count(*) AS bronze_lines, count(*) FILTER (WHERE ${validOrder}) AS valid_lines FROM bronze.orders
         UNION ALL
         SELECT 'order_lines', count(*), count(*) FILTER (WHERE ${validOrderLine}) FROM bronze.order_lines
       ), quarantined AS (SELECT source, count(*) AS quarantined_lines FROM learner GROUP BY source)
       SELECT source, b.bronze_lines, b.valid_lines, coalesce(q.quarantined_lines, 0) AS quarantined_lines
       FROM bronze_lines b FULL JOIN quarantined q USING (source)
       WHERE b.bronze_lines IS DISTINCT FROM b.valid_lines + coalesce(q.quarantined_lines, 0)
       ORDER BY source`,
      "sources where bronze_lines ≠ valid_lines (kept by silver) + quarantined_lines: each line must be kept or quarantined, exactly once (source 'orders' or 'order_lines')",
    ),
    expectIdempotent(),
  ],
});
