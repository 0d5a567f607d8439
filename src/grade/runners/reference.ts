import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { quoteLiteral } from '../../sql.js';
import type { Job, RunFailure, Solution, Target } from './runner.js';

/** A reference solution gets this long: it is the project's code, and a slow machine must not fail it. */
export const REFERENCE_TIMEOUT_MS = 10 * 60_000;

/** The lab's own reference failed: the exercise's grade is an error, said as the project's fault. */
export class ReferenceFailure extends Error {}

/**
 * The reference solution's result on each target, cached per dataset revision and solution
 * content: only the learner's code runs each time. `run` is the kind's own way to run a file.
 */
export async function cachedReference(job: Job, targets: Target[], run: (targets: Target[], solution: Solution) => Promise<RunFailure | undefined>, dependsOn: string[] = []): Promise<void> {
  const { ex, stack } = job;
  const source = fs.readFileSync(ex.solutionFile, 'utf8');
  // `dependsOn`: what else the reference's result comes from (a dbt project's other files).
  const digest = dependsOn.reduce((h, d) => h.update(d), crypto.createHash('sha256').update(source)).digest('hex').slice(0, 16);
  const cacheFile = (t: Target) => path.join(t.dataset.cacheDir, 'reference', `${ex.id}-${digest}.parquet`);
  const missing = targets.filter((t) => !fs.existsSync(cacheFile(t)));
  if (missing.length) {
    const failure = await run(missing, { file: ex.solutionFile, rel: `reference solution of ${ex.id}`, source, timeoutMs: REFERENCE_TIMEOUT_MS, table: 'reference' });
    if (failure) throw new ReferenceFailure(`the reference solution of ${stack.lab.name}/${ex.id} failed on ${missing[failure.index]!.dataset.label}: ${failure.message}`);
    for (const t of missing) {
      fs.mkdirSync(path.dirname(cacheFile(t)), { recursive: true });
      const tmp = `${cacheFile(t)}.${process.pid}.tmp`;
      await t.session.run(`COPY reference TO ${quoteLiteral(tmp)} (FORMAT parquet)`);
      fs.renameSync(tmp, cacheFile(t));
    }
  }
  // A view, not a copy: the checks read the cached file itself (Parquet reads fast, column by column).
  for (const t of targets) {
    if (!missing.includes(t)) await t.session.run(`CREATE OR REPLACE TEMP VIEW reference AS SELECT * FROM read_parquet(${quoteLiteral(cacheFile(t))})`);
  }
}
