import pc from 'picocolors';
import { LabError } from '../errors.js';
import { diffExercise } from '../grade/diff.js';
import { showValue } from '../lab/values.js';
import { findExercise, loadLab } from '../lab/load.js';
import { attachStack, type CommandContext } from './context.js';

const DEFAULT_ROWS = 20;
const MAX_WIDTH = 32;

function pageNumber(value: string | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new LabError(`Invalid ${what} '${value}'.`, `Give a whole number, e.g. --${what} 20.`);
  return n;
}

/** Your rows against the expected ones on your seed, sorted by key, a page at a time, the differing cells marked. */
export async function diffCommand(ctx: CommandContext, labName: string, exercise: string, flags: { limit?: string; offset?: string }): Promise<number> {
  const lab = await loadLab(labName);
  const ex = findExercise(lab, exercise);
  const limit = Math.max(1, pageNumber(flags.limit, DEFAULT_ROWS, 'limit'));
  const offset = pageNumber(flags.offset, 0, 'offset');
  const { stack } = await attachStack(ctx, lab, `lab diff ${lab.name}`);
  const { dataset, expected, got, diff } = await diffExercise(stack, ctx.paths, ex, { limit, offset });
  const out = ctx.output;
  out.result(pc.bold(`${lab.name}/${ex.id} on ${dataset}`) + pc.dim(`: ${expected.toLocaleString('en-US')} rows expected, ${got.toLocaleString('en-US')} yours`));
  if (!diff.missing && !diff.extra) {
    out.result(pc.green('the same rows as the reference') + pc.dim(` (\`lab check ${lab.name} ${ex.id}\` also checks their order and the other promises)`));
    return 0;
  }
  out.result(pc.dim(`${diff.missing.toLocaleString('en-US')} expected rows missing from yours (-), ${diff.extra.toLocaleString('en-US')} of yours not expected (+); rows with the same key are a -/+ pair, * marks the cells that differ`));
  const cell = (line: (typeof diff.lines)[number], c: string) => {
    const v = showValue(line.row[c], diff.numeric.has(c));
    const text = v.length > MAX_WIDTH ? `${v.slice(0, MAX_WIDTH - 1)}…` : v;
    return line.changed.includes(c) ? `${text}*` : text;
  };
  const widths = diff.columns.map((c) => Math.max(c.length, ...diff.lines.map((l) => cell(l, c).length)));
  out.result(`   ${diff.columns.map((c, i) => pc.bold(c.padEnd(widths[i]!))).join('  ')}`);
  for (const line of diff.lines) {
    const text = diff.columns.map((c, i) => cell(line, c).padEnd(widths[i]!)).join('  ');
    out.result(`${line.mark === '-' ? pc.red('-') : pc.green('+')}  ${line.mark === '-' ? pc.red(text) : pc.green(text)}`);
  }
  if (offset + limit < diff.entries) out.result(pc.dim(`${offset + 1}–${offset + limit} of ${diff.entries.toLocaleString('en-US')} differences; more: \`lab diff ${lab.name} ${ex.id} --offset ${offset + limit}\``));
  return 1;
}
