import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { gradeExercise, type ExerciseResult } from '../grade/grader.js';
import { prettyExercise } from '../grade/reporters.js';
import { findExercise, loadLab } from '../lab/load.js';
import { attachStack, recordProgress, type CommandContext } from './context.js';
import { parseTimeout } from './check.js';

/** Saves come in bursts (editors write twice); grade once the burst settles. */
const DEBOUNCE_MS = 250;

/**
 * Re-grades an exercise each time its file is saved, like rustlings' watch mode: on a terminal the
 * screen is redrawn with the score and the exercise to work on; pinned to one exercise, only that one.
 */
export async function watchCommand(ctx: CommandContext, labName: string, exercise: string | undefined, flags: { timeout?: string }, signal?: AbortSignal): Promise<number> {
  const lab = await loadLab(labName);
  const pinned = exercise ? findExercise(lab, exercise) : undefined;
  const watched = pinned ? [pinned] : lab.exercises;
  const timeoutMs = parseTimeout(flags.timeout);
  const { stack } = await attachStack(ctx, lab, `lab watch ${lab.name}`);
  const dir = path.join(ctx.paths.workspaceRoot, lab.name);
  const results = new Map<string, ExerciseResult>();
  const out = ctx.output;
  const where = path.relative(process.cwd(), pinned ? path.join(dir, pinned.id) : dir) || dir;

  const score = () => `${[...results.values()].filter((r) => r.passed).length}/${watched.length}`;
  const grade = async (ids: string[]) => {
    for (const ex of watched.filter((e) => ids.includes(e.id))) {
      const result = await gradeExercise(stack, ctx.paths, ex, { timeoutMs });
      results.set(ex.id, result);
      recordProgress(ctx, lab, [result]);
    }
  };
  /** The screen: the score, then the exercise to work on (the pinned one, or the first that fails). */
  const draw = (changed: string[]) => {
    if (out.interactive) process.stdout.write('\x1b[2J\x1b[H');
    const focus = pinned ?? watched.find((e) => !results.get(e.id)?.passed);
    out.result(pc.bold(pinned ? `${lab.name} ${pinned.id}: ${results.get(pinned.id)?.passed ? 'passes' : 'does not pass yet'}` : `${lab.name}: ${score()} exercises pass`));
    const shown = out.interactive ? (focus ? [focus.id] : []) : changed;
    for (const id of shown) out.result(prettyExercise(results.get(id)!));
    if (!pinned && !focus) out.result(pc.green('every exercise passes: well done!'));
    out.result(pc.dim(`watching ${where}/ — save a file to re-check it; Ctrl-C to stop · ${new Date().toLocaleTimeString()}`));
  };

  await grade(watched.map((e) => e.id));
  const first = pinned ?? watched.find((e) => !results.get(e.id)?.passed);
  draw(first ? [first.id] : []);

  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher = fs.watch(dir, { recursive: true }, (_event, filename) => {
    if (!filename) return;
    const id = filename.split(path.sep)[0]!;
    const ex = watched.find((e) => e.id === id);
    if (!ex || path.basename(filename) !== ex.def.file) return;
    pending.add(id);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const ids = [...pending];
      pending.clear();
      running = running.then(async () => {
        await grade(ids);
        draw(ids);
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
