import fs from 'node:fs';
import { LabError } from '../errors.js';
import { diffRows, type CompareOptions, type RowDiff } from '../lab/compare.js';
import type { Check } from '../lab/define.js';
import type { LoadedExercise } from '../lab/load.js';
import type { LabPaths } from '../paths.js';
import { openDatasetSession } from '../runtime/dataset-session.js';
import type { StartedStack } from '../runtime/runtime.js';
import { learnerFile, workspaceRelative } from '../workspace/workspace.js';
import { runnerFor } from './runners/index.js';
import type { Target } from './runners/runner.js';

/**
 * The learner's rows against the reference's on the learner's own seed, compared the way the
 * exercise's same-rows check compares them: the runner runs both, as for a grade.
 */
export async function diffExercise(stack: StartedStack, paths: LabPaths, ex: LoadedExercise, page: { limit: number; offset: number }): Promise<{ dataset: string; expected: number; got: number; diff: RowDiff; compare: CompareOptions }> {
  const compare = (ex.def.checks as Check[]).flatMap((c) => (c.on === 'results' && c.compare ? [c.compare] : []))[0];
  if (!compare) throw new LabError(`${stack.lab.name}/${ex.id} is not graded by comparing rows with a reference, so there is nothing to diff.`, `\`lab check ${stack.lab.name} ${ex.id}\` says what its checks found.`);
  const file = learnerFile(paths, stack.lab, ex);
  if (!fs.existsSync(file)) throw new LabError(`workspace/${workspaceRelative(stack.lab, ex)} is missing.`, `\`lab up ${stack.lab.name}\` re-creates it from the template.`);
  const runner = runnerFor(ex.def.kind);
  const dataset = stack.datasets[0]!;
  const target: Target = { dataset, session: await openDatasetSession(stack.lab, dataset), scratch: [] };
  try {
    const job = { stack, ex };
    await runner.prepareReference(job, [target]);
    const { failure } = await runner.runLearner(job, [target], { file, rel: workspaceRelative(stack.lab, ex), source: fs.readFileSync(file, 'utf8'), timeoutMs: ex.def.timeoutMs ?? runner.defaultTimeoutMs, table: 'learner' });
    if (failure) throw new LabError(`Your solution did not run, so there are no rows to compare: ${failure.message.split('\n')[0]}`, `Fix it, then \`lab diff ${stack.lab.name} ${ex.id}\` again.`);
    const count = async (t: string) => Number(await target.session.scalar(`SELECT count(*) FROM ${t}`));
    try {
      const diff = await diffRows(target.session, 'learner', 'reference', compare, page);
      return { dataset: dataset.label, expected: await count('reference'), got: await count('learner'), diff, compare };
    } catch (err) {
      throw new LabError((err as Error).message.split('\n')[0]!, `\`lab check ${stack.lab.name} ${ex.id}\` says the same, with the columns it expects.`);
    }
  } finally {
    target.session.close();
    for (const dir of target.scratch) fs.rmSync(dir, { recursive: true, force: true });
  }
}
