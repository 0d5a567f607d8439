import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { checkExercise, checkTraps, compareReferences, referenceDialects, validateLab, type Finding } from '../grade/dev-check.js';
import { listLabNames, loadLab, type LoadedLab } from '../lab/load.js';
import { isScale, SCALE_NAMES, type Scale } from '../lab/scale.js';
import type { LabPaths } from '../paths.js';
import { DatasetStore } from '../runtime/dataset-store.js';
import type { Dataset } from '../runtime/runtime.js';
import { LocalRuntime } from '../runtime/local/local-runtime.js';
import { attachStack, DEFAULT_SEED, type CommandContext } from './context.js';

/**
 * For lab authors, like rustlings' `dev check`: each lab is valid as data, every template fails and
 * every reference passes on both seeds, and a reference in another engine's dialect gives the same
 * rows where a stack runs that engine. It works in a scratch home: the learner's files are not touched.
 */
export async function devCheckCommand(ctx: CommandContext, labName: string | undefined, flags: { scales?: string; exercise?: string } = {}): Promise<number> {
  const scales = parseScales(flags.scales);
  if (flags.exercise && !labName) throw new LabError('--exercise needs a lab.', 'Name the lab too, e.g. lab dev check month5 --exercise 08.');
  const labs = labName ? [onlyExercises(await loadLab(labName), flags.exercise)] : await Promise.all(listLabNames().map((n) => loadLab(n)));
  // The scratch homes reuse the learner's venvs: creating one takes a minute.
  process.env.LAB_VENVS ??= path.join(ctx.paths.home, 'venvs');
  process.env.LAB_DOWNLOADS ??= path.join(ctx.paths.home, 'downloads');
  let problems = 0;
  for (const lab of labs) {
    const all = await devCheckLab(ctx, lab, scales);
    const findings = all.filter((f) => !f.warning);
    const warnings = all.length - findings.length;
    problems += findings.length;
    ctx.output.result(findings.length ? pc.red(`✗ ${lab.name}: ${findings.length} problem${findings.length === 1 ? '' : 's'}`) : pc.green(`✓ ${lab.name}: valid, every template fails, every reference passes${warnings ? ` (⚠ ${warnings} timing target${warnings === 1 ? '' : 's'} this machine could not meet)` : ''}`));
  }
  return problems ? 1 : 0;
}

/** The lab with only the named exercises (by number or id), for an author iterating on one of them. */
function onlyExercises(lab: LoadedLab, list: string | undefined): LoadedLab {
  if (!list) return lab;
  const wanted = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = wanted.filter((w) => !lab.exercises.some((ex) => ex.id === w || ex.id.startsWith(`${w}-`)));
  if (unknown.length || !wanted.length) throw new LabError(`${lab.name} has no exercise '${unknown[0] ?? list}'.`, `Its exercises: ${lab.exercises.map((ex) => ex.id).join(', ')}.`);
  return { ...lab, exercises: lab.exercises.filter((ex) => wanted.some((w) => ex.id === w || ex.id.startsWith(`${w}-`))) };
}

function parseScales(value: string | undefined): Scale[] {
  const scales = (value ?? SCALE_NAMES.join(',')).split(',').map((s) => s.trim());
  const unknown = scales.filter((s) => !isScale(s));
  if (unknown.length || !scales.includes('small')) throw new LabError(`Invalid scales '${value}'.`, `Give some of ${SCALE_NAMES.join(', ')}, with small (the grades run there), e.g. --scales small,medium.`);
  return scales as Scale[];
}

async function devCheckLab(ctx: CommandContext, lab: LoadedLab, scales: Scale[]): Promise<Finding[]> {
  const out = ctx.output;
  const report = (label: string, found: Finding[]) => {
    const problems = found.filter((f) => !f.warning);
    out.result(`${problems.length ? pc.red('✗') : found.length ? pc.yellow('⚠') : pc.green('✓')} ${label}`);
    for (const f of found) out.result(`    ${f.warning ? pc.yellow('⚠') : pc.red('✗')} ${f.exercise ? `${f.exercise}: ` : ''}${f.problem}`);
    return found;
  };
  out.result(pc.bold(`lab dev check ${lab.name}`) + pc.dim(` — ${lab.exercises.length} exercises on seed ${DEFAULT_SEED} (small) and the hidden seed, in a scratch home`));
  const findings = report('the lab as data: lesson, numbering, titles, templates, solutions, hints', validateLab(lab));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `lab-dev-${lab.name}-`));
  const runtimes: Array<[LocalRuntime, LoadedLab]> = [];
  try {
    const paths: LabPaths = { workspaceRoot: path.join(scratch, 'workspace'), home: path.join(scratch, '.lab') };
    const runtime = new LocalRuntime(paths);
    // The scratch home's own broker and feature store, on free ports: the learner's lab may be up beside it.
    await runtime.useFreePorts(lab);
    runtimes.push([runtime, lab]);
    const stack = await runtime.up(lab, { seed: DEFAULT_SEED, scale: 'small', output: ctx.output });
    for (const ex of lab.exercises) findings.push(...report(`${ex.id}: ${ex.wrongFiles.length ? `the template and ${ex.wrongFiles.length} wrong solution${ex.wrongFiles.length === 1 ? '' : 's'} fail` : 'the template fails'}, the reference passes`, await checkExercise(stack, paths, ex)));
    findings.push(...(await checkLabTraps(ctx, lab, stack.datasets, scales, scratch, report)));
    for (const dialect of referenceDialects(lab)) findings.push(...(await compareDialect(ctx, lab, dialect, scratch, report)));
  } finally {
    for (const [runtime, l] of runtimes) await runtime.down(l, {});
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return findings;
}

/** Every declared trap occurs on the learner's seed at every scale and on the hidden seed; larger scales are seeded here for it. */
async function checkLabTraps(ctx: CommandContext, lab: LoadedLab, seeded: Dataset[], scales: Scale[], scratch: string, report: (label: string, found: Finding[]) => Finding[]): Promise<Finding[]> {
  const traps = lab.exercises.reduce((n, ex) => n + (ex.def.traps?.length ?? 0), 0);
  const found: Finding[] = [];
  const label = (d: Dataset) => (d.hidden ? 'the hidden seed' : `seed ${d.seed} at ${d.scale}`);
  found.push(...(await checkTraps(lab, seeded.map((d) => ({ dataset: d, label: label(d) })))));
  for (const scale of scales.filter((s) => s !== 'small')) {
    const store = new DatasetStore(path.join(scratch, 'traps', scale));
    const dataset = await store.ensure(lab, { seed: DEFAULT_SEED, scale, hidden: false, output: ctx.output });
    found.push(...(await checkTraps(lab, [{ dataset, label: label(dataset) }])));
    store.remove();
  }
  return report(`${traps} traps, each in the data: seed ${DEFAULT_SEED} at ${scales.join(', ')} and the hidden seed`, found);
}

/** Where the learner's stack runs the dialect's engine (month4 on containers: Trino), its reference pipeline must give DuckDB's rows. */
async function compareDialect(ctx: CommandContext, lab: LoadedLab, dialect: string, scratch: string, report: (label: string, found: Finding[]) => Finding[]): Promise<Finding[]> {
  const skip = (why: string) => {
    ctx.output.result(`${pc.dim('–')} ${pc.dim(`references in ${dialect}'s dialect: not compared, ${why}`)}`);
    return [];
  };
  if (ctx.state.lab(lab.name)?.status !== 'up') return skip(`${lab.name} is not up (\`lab up ${lab.name} --runtime docker\` runs its stack)`);
  const { stack } = await attachStack(ctx, lab, `lab dev check ${lab.name}`);
  let engine;
  try {
    engine = await stack.modelEngine(dialect);
  } catch (err) {
    if (err instanceof LabError) return skip(`${lab.name} is up on the ${stack.runtime} runtime, which has no ${dialect}`);
    throw err;
  }
  return report(`references in ${engine.label}'s dialect give DuckDB's rows, on ${stack.datasets.map((d) => d.label).join(' and ')}`, await compareReferences(stack, engine, path.join(scratch, 'compare')));
}
