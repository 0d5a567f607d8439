import { describe, expect, it } from 'vitest';
import { expectIdempotent, expectIncremental, expectPartitionedBy, expectSameRows, expectSqlUses, expectUniqueKey } from '../../src/lab/checks.js';
import { defineExercise, measured } from '../../src/lab/define.js';

// The type checker is the test here: `npm test` builds with tsc first, and an expected error
// that does not occur fails that build. A model-only check on an SQL exercise is a compile error.
describe('defineExercise is typed by kind', () => {
  it('takes the checks every kind has, and the model checks on a model exercise', () => {
    const model = defineExercise({ title: 't', kind: 'model', file: 'silver.x.sql', checks: [expectUniqueKey(['id']), expectSameRows(), expectPartitionedBy('day'), expectIdempotent(), expectIncremental()] });
    const sql = defineExercise({ title: 't', kind: 'sql', file: 'q.sql', checks: [expectSqlUses(/x/, 'x', 'why'), expectSameRows()] });
    expect([model.kind, sql.kind]).toEqual(['model', 'sql']);
  });

  it('refuses a model check on an SQL or a Python exercise, at compile time', () => {
    const sql = defineExercise({
      title: 't',
      kind: 'sql',
      file: 'q.sql',
      // @ts-expect-error a partition check needs a model exercise's files
      checks: [expectPartitionedBy('day')],
    });
    const python = defineExercise({
      title: 't',
      kind: 'python',
      file: 's.py',
      // @ts-expect-error a second run needs a model exercise
      checks: [expectSameRows(), expectIdempotent()],
    });
    expect(sql.checks).toHaveLength(1);
    expect(python.checks).toHaveLength(2);
  });

  it('a measured outcome carries its score and threshold', () => {
    expect(measured('recall@5', 0.834, 0.8)).toEqual({ status: 'pass', message: 'recall@5 0.83 ≥ 0.80', score: 0.834, threshold: 0.8 });
    expect(measured('p99 latency ms', 140, 100, { lowerIsBetter: true })).toMatchObject({ status: 'fail', message: 'p99 latency ms 140 > 100' });
  });
});
