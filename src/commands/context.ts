import pc from 'picocolors';
import { LabError } from '../errors.js';
import { LabLock } from '../workspace/lab-lock.js';
import type { LoadedLab } from '../lab/load.js';
import type { LabPaths } from '../paths.js';
import { getRuntime } from '../runtime/select.js';
import type { StartedStack } from '../runtime/runtime.js';
import type { Output } from '../ui/output.js';
import type { LabState, StateStore } from '../workspace/state.js';

/** What every command gets from cli.ts: where things live, the state file, and where to print. */
export interface CommandContext {
  paths: LabPaths;
  state: StateStore;
  output: Output;
}

export const DEFAULT_SEED = 42;

/** The lab's state when it is up, or one clear line telling how to bring it up. */
export function requireUp(ctx: CommandContext, lab: LoadedLab): LabState {
  const labState = ctx.state.lab(lab.name);
  if (!labState || labState.status !== 'up') {
    throw new LabError(`${lab.name} is not up.`, `Run \`lab up ${lab.name}\` first.`);
  }
  return labState;
}

/**
 * Holds the lab's data for a command: `read` alongside other readers (waiting while a reset
 * rewrites it), `write` alone (refused while a check or a watch uses it).
 */
export async function holdLabData(ctx: CommandContext, lab: LoadedLab, verb: string, mode: 'read' | 'write'): Promise<void> {
  const lock = new LabLock(ctx.paths.home, lab.name);
  if (mode === 'write') lock.write(verb);
  else await lock.read(verb, (why) => ctx.output.info(pc.dim(why)));
}

/** Attaches to the stack `lab up` started, on the runtime it was started with, holding its data for `verb`. */
export async function attachStack(ctx: CommandContext, lab: LoadedLab, verb: string, mode: 'read' | 'write' = 'read'): Promise<{ stack: StartedStack; labState: LabState }> {
  const labState = requireUp(ctx, lab);
  await holdLabData(ctx, lab, verb, mode);
  const runtime = await getRuntime(labState.runtime, ctx.paths);
  const stack = await runtime.attach(lab, { seed: labState.seed, scale: labState.scale });
  return { stack, labState };
}

/** Records which exercises pass now; a partial run only updates the exercises it graded. */
export function recordProgress(ctx: CommandContext, lab: LoadedLab, results: Array<{ id: string; passed: boolean }>): void {
  ctx.state.update((state) => {
    const labState = state.labs[lab.name];
    if (!labState) return;
    const passed = new Set(labState.progress?.passed ?? []);
    for (const r of results) {
      if (r.passed) passed.add(r.id);
      else passed.delete(r.id);
    }
    const known = new Set(lab.exercises.map((e) => e.id));
    labState.progress = { passed: [...passed].filter((id) => known.has(id)).sort(), total: lab.exercises.length, checkedAt: new Date().toISOString() };
  });
}
