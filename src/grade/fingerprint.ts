import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { COMPILED_LABS_DIR, PACKAGE_ROOT } from '../paths.js';

/** What the built program is: every file a grade runs through (the runner, the datasets, the Python harness). */
export const PROGRAM_ROOTS = ['dist/src', 'dist/datasets', 'src/services/python'];

/** Every file under the roots, in a stable order (a missing root, e.g. dist/ before a build, is empty). */
export function programFiles(root = PACKAGE_ROOT, roots = PROGRAM_ROOTS): string[] {
  return roots.flatMap((r) => {
    const dir = path.join(root, r);
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((f) => !f.endsWith('.map') && fs.statSync(path.join(dir, f)).isFile())
      .sort()
      .map((f) => path.join(dir, f));
  });
}

function digestFiles(files: string[], root: string): string {
  const hash = crypto.createHash('sha256');
  for (const f of files) hash.update(path.relative(root, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return hash.digest('hex');
}

const digests = new Map<string, string>();

/** The whole built program: a change anywhere in it (a check helper, the DuckDB client, the harness) grades afresh. Read once per process. */
export function programDigest(root = PACKAGE_ROOT, roots = PROGRAM_ROOTS): string {
  const key = `${root}|${roots.join(',')}`;
  let d = digests.get(key);
  if (!d) digests.set(key, (d = digestFiles(programFiles(root, roots), root)));
  return d;
}

/** A lab's compiled definition and checks (dist/labs/<lab>/): a changed check of the lab grades its exercises afresh. */
export function labDigest(lab: string): string {
  return programDigest(PACKAGE_ROOT, [path.relative(PACKAGE_ROOT, path.join(COMPILED_LABS_DIR, lab))]);
}
