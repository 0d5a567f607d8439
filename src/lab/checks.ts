import { compareTables, type CompareOptions } from '../grade/compare.js';
import type { Check } from './define.js';

export { defineExercise, defineLab } from './define.js';

/** The learner's result equals the reference's on every dataset (order-insensitive unless `orderBy`). */
export function expectSameRows(opts: CompareOptions = {}): Check {
  return {
    name: opts.orderBy?.length ? 'same rows as the reference, in order' : 'same rows as the reference',
    on: 'results',
    async run(ctx) {
      return compareTables(ctx.session, ctx.learnerTable, ctx.referenceTable, opts);
    },
  };
}

/** Strips SQL comments and string literals, so a keyword in a comment does not count. */
export function sqlCode(source: string): string {
  return source
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
}

/** The SQL uses a construct the exercise is about (e.g. QUALIFY), so a workaround does not pass. */
export function expectSqlUses(pattern: RegExp, what: string, why: string): Check {
  return {
    name: `uses ${what}`,
    on: 'source',
    run(ctx) {
      const passed = pattern.test(sqlCode(ctx.source));
      return { passed, message: passed ? `uses ${what}` : `${ctx.file} does not use ${what}: ${why}` };
    },
  };
}

/** Python solutions stay vectorized: no for/while loops and no row-wise calls. */
export function expectNoRowLoops(): Check {
  return {
    name: 'vectorized: no row loops',
    on: 'source',
    run(ctx) {
      if (!ctx.python) return { passed: false, message: 'the Python venv is not available: run `lab up` first' };
      const found = ctx.python.lintRowLoops(ctx.absFile);
      if (!Array.isArray(found)) return { passed: false, message: `${ctx.file}:${found.line ?? '?'}: ${found.kind}: ${found.message}` };
      if (found.length === 0) return { passed: true, message: 'no row loops' };
      const first = found[0]!;
      return {
        passed: false,
        message: `${ctx.file}:${first.line}: ${first.what} iterates row by row${found.length > 1 ? ` (and ${found.length - 1} more)` : ''}; use column operations (groupby, merge, shift, vectorized arithmetic) instead`,
      };
    },
  };
}
