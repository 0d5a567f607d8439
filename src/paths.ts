import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package root: dist/src/paths.js sits two levels below it. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
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
