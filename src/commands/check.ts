import pc from 'picocolors';
import { LabError } from '../errors.js';
import { gradeLab } from '../grade/grader.js';
import { jsonReport, prettyExercise, prettySummary, writeJunit } from '../grade/reporters.js';
import { findExercise, loadLab } from '../lab/load.js';
import { attachStack, recordProgress, type CommandContext } from './context.js';

export interface CheckFlags {
  json?: boolean;
  junit?: string;
  timeout?: string;
  fresh?: boolean;
  engine?: string;
}

export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new LabError(`Invalid timeout '${value}'.`, 'Give seconds, e.g. --timeout 30.');
  return Math.round(seconds * 1000);
}

export async function checkCommand(ctx: CommandContext, labName: string, exercise: string | undefined, flags: CheckFlags): Promise<number> {
  const lab = await loadLab(labName);
  const exercises = exercise ? [findExercise(lab, exercise)] : lab.exercises;
  const timeoutMs = parseTimeout(flags.timeout);
  const { stack, labState } = await attachStack(ctx, lab, `lab check ${lab.name}`);
  const engine = flags.engine ? await stack.modelEngine(flags.engine) : undefined;
  if (!flags.json) ctx.output.result(pc.dim(`checking ${lab.name} on the ${stack.runtime} runtime${engine ? ` · models built and judged on ${engine.label}` : ''} · seed ${labState.seed} (${labState.scale}) and a hidden seed`));
  const reused: string[] = [];
  const report = await gradeLab(stack, ctx.paths, exercises, {
    timeoutMs,
    fresh: flags.fresh,
    engine,
    onReused: (id) => reused.push(id),
    onExercise: (result) => {
      if (!flags.json) ctx.output.result(prettyExercise(result));
    },
  });
  recordProgress(ctx, lab, report.exercises);
  if (flags.junit) writeJunit(flags.junit, report);
  if (flags.json) ctx.output.result(jsonReport(report));
  else {
    if (reused.length) ctx.output.result(pc.dim(`${reused.length} of ${exercises.length} unchanged since their last check (file, data and checks): results reused; --fresh re-runs them`));
    const progress = ctx.state.lab(lab.name)?.progress;
    ctx.output.result(prettySummary(report, { all: lab.exercises.map((e) => e.id), passed: progress?.passed ?? [] }));
  }
  return report.exercises.every((e) => e.passed) ? 0 : 1;
}
