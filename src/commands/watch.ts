import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { gradeExercise, type ExerciseResult } from '../grade/grader.js';
import { prettyExercise } from '../grade/reporters.js';
import { loadLab } from '../lab/load.js';
import { attachStack, recordProgress, type CommandContext } from './context.js';
import { parseTimeout } from './check.js';

/** Saves come in bursts (editors write twice); grade once the burst settles. */
const DEBOUNCE_MS = 250;

/** Re-grades an exercise each time its file is saved, like rustlings' watch mode. */
export async function watchCommand(ctx: CommandContext, labName: string, flags: { timeout?: string }, signal?: AbortSignal): Promise<number> {
  const lab = await loadLab(labName);
  const timeoutMs = parseTimeout(flags.timeout);
  const { stack } = await attachStack(ctx, lab);
  const dir = path.join(ctx.paths.workspaceRoot, lab.name);
  const results = new Map<string, ExerciseResult>();
  const out = ctx.output;

  const score = () => `${[...results.values()].filter((r) => r.passed).length}/${lab.exercises.length}`;
  const grade = async (ids: string[]) => {
    for (const ex of lab.exercises.filter((e) => ids.includes(e.id))) {
      const result = await gradeExercise(stack, ctx.paths, ex, { timeoutMs });
      results.set(ex.id, result);
      recordProgress(ctx, lab, [result]);
    }
  };

  await grade(lab.exercises.map((e) => e.id));
  const next = lab.exercises.find((e) => !results.get(e.id)?.passed);
  out.result(`${pc.bold(`${lab.name}: ${score()} exercises pass`)}`);
  if (next) out.result(prettyExercise(results.get(next.id)!));
  out.result(pc.dim(`watching ${path.relative(process.cwd(), dir) || dir}/ — save a file to re-check it; Ctrl-C to stop`));

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = fs.watch(dir, { recursive: true }, (_event, filename) => {
    if (!filename) return;
    const id = filename.split(path.sep)[0]!;
    const ex = lab.exercises.find((e) => e.id === id);
    if (!ex || path.basename(filename) !== ex.def.file) return;
    pending.add(id);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const ids = [...pending];
      pending.clear();
      running = running.then(async () => {
        await grade(ids);
        for (const id of ids) out.result(prettyExercise(results.get(id)!));
        out.result(pc.dim(`${score()} pass · ${new Date().toLocaleTimeString()}`));
      }).catch((err: unknown) => out.result(pc.red(`error: ${err instanceof Error ? err.message : String(err)}`)));
    }, DEBOUNCE_MS);
  });

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop);
  });
  watcher.close();
  clearTimeout(timer);
  await running;
  out.result(pc.dim(`stopped watching; ${score()} pass`));
  return 0;
}
