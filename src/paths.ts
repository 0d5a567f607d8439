import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, found from this file whether it runs compiled (dist/src) or from source (src). */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'labs'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('lakehouse-lab: cannot find the package root (package.json next to labs/)');
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot();
export const LABS_DIR = path.join(PACKAGE_ROOT, 'labs');
/** Compiled lab modules (lab.js, check.js) live under dist/labs. */
export const COMPILED_LABS_DIR = path.join(PACKAGE_ROOT, 'dist', 'labs');

export interface LabPaths {
  /** ./workspace (or --workspace / LAB_WORKSPACE): labs live in their subfolders. */
  workspaceRoot: string;
  /** ./.lab (or LAB_HOME): state, data, venvs. */
  home: string;
}

export function resolvePaths(opts: { workspace?: string } = {}, cwd = process.cwd()): LabPaths {
  const workspaceRoot = path.resolve(cwd, opts.workspace ?? process.env.LAB_WORKSPACE ?? 'workspace');
  const home = path.resolve(cwd, process.env.LAB_HOME ?? '.lab');
  return { workspaceRoot, home };
}
