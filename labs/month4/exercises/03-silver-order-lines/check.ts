import { defineExercise, expectIdempotent, expectIncremental, expectPartitionedBy, expectSameRows, expectUniqueKey } from '../../../../src/lab/checks.js';
import {  } from '../../traps.js';

export default defineExercise({
  title: 'silver.order_lines: typed money, to the cent',
  kind: 'model',
  file: 'silver.order_lines.sql',
  traps: [
    { name: 'a quantity in words', count: `SELECT count(*) FROM bronze.order_lines WHERE json_valid(line) AND try_cast(line->>'quantity' AS INTEGER) IS NULL` },
    { name: 'a line cut off in transit', count: `SELECT count(*) FROM bronze.order_lines WHERE NOT json_valid(line)` },
    { name: 'a line without a discount (0.00)', count: `SELECT count(*) FROM bronze.order_lines WHERE json_valid(line) AND (line->>'discount') IS NULL` },
    {
      name: 'a line whose amount in DOUBLE rounds to another cent than in DECIMAL',
      count: `WITH l AS (SELECT try_cast(line->>'quantity' AS INTEGER) AS q, try_cast(line->>'unit_price' AS DECIMAL(10, 2)) AS p, coalesce(try_cast(line->>'discount' AS DECIMAL(4, 2)), 0) AS d FROM bronze.order_lines WHERE json_valid(line))
        SELECT count(*) FROM l WHERE round(q * p * (1 - d), 2) <> round(q * p::DOUBLE * (1 - d::DOUBLE), 2)`,
    },
  ],
  checks: [
    expectUniqueKey(['order_id', 'line_no']),
    expectSameRows({ key: ['order_id', 'line_no'] }),
    expectPartitionedBy('order_date'),
    expectIdempotent(),
    expectIncremental(),
  ],
});
