import fs from 'node:fs';
import path from 'node:path';
import type { LoadedExercise, LoadedLab } from '../lab/load.js';
import type { LabPaths } from '../paths.js';

/** The exercise file's path relative to the workspace root, as the JSON contract shows it: `month1/01-dedupe-orders/query.sql`. */
export function workspaceRelative(lab: LoadedLab, ex: LoadedExercise): string {
  return [lab.name, ex.id, ex.def.file].join('/');
}

export function learnerFile(paths: LabPaths, lab: LoadedLab, ex: LoadedExercise): string {
  return path.join(paths.workspaceRoot, ...workspaceRelative(lab, ex).split('/'));
}

/** Copies each template the learner does not have yet; an existing file is never touched (COPYFILE_EXCL). */
export function syncTemplates(paths: LabPaths, lab: LoadedLab): { created: string[]; kept: string[] } {
  const created: string[] = [];
  const kept: string[] = [];
  for (const ex of lab.exercises) {
    const file = learnerFile(paths, lab, ex);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.copyFileSync(ex.templateFile, file, fs.constants.COPYFILE_EXCL);
      created.push(workspaceRelative(lab, ex));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      kept.push(workspaceRelative(lab, ex));
    }
  }
  return { created, kept };
}

/** A fresh `workspace/.backup/<timestamp>/` folder; a second backup in the same second gets a suffix. */
function newBackupDir(paths: LabPaths): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = path.join(paths.workspaceRoot, '.backup', stamp);
  for (let n = 0; ; n++) {
    const dir = n === 0 ? base : `${base}-${n}`;
    try {
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      fs.mkdirSync(dir);
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Copies the given workspace-relative files into a new backup folder, keeping their layout.
 * Returns the folder, or undefined when none of the files exists (nothing to lose).
 */
export function backupFiles(paths: LabPaths, relFiles: string[]): string | undefined {
  const existing = relFiles.filter((rel) => fs.existsSync(path.join(paths.workspaceRoot, rel)));
  if (existing.length === 0) return undefined;
  const dir = newBackupDir(paths);
  for (const rel of existing) {
    const target = path.join(dir, rel);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(paths.workspaceRoot, rel), target, fs.constants.COPYFILE_EXCL);
  }
  return dir;
}

/** Puts the templates back for the given exercises, after backing up the learner's files. */
export function restoreTemplates(paths: LabPaths, lab: LoadedLab, exercises: LoadedExercise[]): { backupDir?: string; restored: string[] } {
  const backupDir = backupFiles(paths, exercises.map((ex) => workspaceRelative(lab, ex)));
  const restored: string[] = [];
  for (const ex of exercises) {
    const file = learnerFile(paths, lab, ex);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.copyFileSync(ex.templateFile, file);
    restored.push(workspaceRelative(lab, ex));
  }
  return { backupDir, restored };
}

/** Copies the reference solution over the learner's file, after backing that file up. */
export function applySolution(paths: LabPaths, lab: LoadedLab, ex: LoadedExercise): { backupDir?: string; file: string } {
  const rel = workspaceRelative(lab, ex);
  const backupDir = backupFiles(paths, [rel]);
  const file = learnerFile(paths, lab, ex);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(ex.solutionFile, file);
  return { backupDir, file: rel };
}
