import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LabError } from '../errors.js';
import { COMPILED_LABS_DIR, LABS_DIR } from '../paths.js';
import type { ExerciseDefinition, LabDefinition } from './define.js';

export interface LoadedExercise {
  /** Folder name, e.g. `01-dedupe-orders`. */
  id: string;
  dir: string;
  def: ExerciseDefinition;
  templateFile: string;
  solutionFile: string;
  /** Plausible wrong solutions (wrong/<name>.<ext>, the mistake said in its first line): each must fail. */
  wrongFiles: string[];
  hints: string[];
}

export interface LoadedLab {
  name: string;
  dir: string;
  def: LabDefinition;
  exercises: LoadedExercise[];
}

/** Labs of the curriculum that are not built yet: named, so `lab up month5` says it is coming rather than unknown. */
export const PLANNED_LABS: Readonly<Record<string, string>> = {};

export function listLabNames(): string[] {
  if (!fs.existsSync(LABS_DIR)) return [];
  return fs
    .readdirSync(LABS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(LABS_DIR, d.name, 'lab.ts')))
    .map((d) => d.name)
    .sort();
}

async function importDefault<T>(file: string, what: string): Promise<T> {
  if (!fs.existsSync(file)) {
    throw new LabError(`${what} is not built (${path.relative(process.cwd(), file)} is missing).`, 'Run `npm run build` in the lakehouse-lab folder.');
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: T };
  if (!mod.default) throw new LabError(`${what} has no default export (${file}).`);
  return mod.default;
}

/** Hints are the `## ` sections of hints.md, revealed one at a time. */
export function parseHints(markdown: string): string[] {
  return markdown
    .split(/^## .*$/m)
    .slice(1)
    .map((h) => h.trim())
    .filter(Boolean);
}

export async function loadLab(name: string): Promise<LoadedLab> {
  const names = listLabNames();
  if (!names.includes(name)) {
    if (PLANNED_LABS[name] && !names.includes(name)) throw new LabError(`${name} is planned, not ready yet: ${PLANNED_LABS[name]}.`, `The labs you can start: ${names.join(', ')} (\`lab list\`).`);
    throw new LabError(`Unknown lab '${name}'.`, `Available labs: ${names.join(', ') || '(none)'}. Run \`lab list\` to see them.`);
  }
  const dir = path.join(LABS_DIR, name);
  const def = await importDefault<LabDefinition>(path.join(COMPILED_LABS_DIR, name, 'lab.js'), `Lab ${name}`);
  const exercisesDir = path.join(dir, 'exercises');
  const ids = fs.existsSync(exercisesDir)
    ? fs.readdirSync(exercisesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  const exercises: LoadedExercise[] = [];
  for (const id of ids) {
    const exDir = path.join(exercisesDir, id);
    const exDef = await importDefault<ExerciseDefinition>(
      path.join(COMPILED_LABS_DIR, name, 'exercises', id, 'check.js'),
      `Exercise ${name}/${id}`,
    );
    const templateFile = path.join(exDir, 'template', exDef.file);
    const solutionFile = path.join(exDir, 'solution', exDef.file);
    for (const f of [templateFile, solutionFile]) {
      if (!fs.existsSync(f)) throw new LabError(`Exercise ${name}/${id} is incomplete: ${path.relative(LABS_DIR, f)} is missing.`);
    }
    const hintsFile = path.join(exDir, 'hints.md');
    const hints = fs.existsSync(hintsFile) ? parseHints(fs.readFileSync(hintsFile, 'utf8')) : [];
    const wrongDir = path.join(exDir, 'wrong');
    // Files only: a Python cache folder (__pycache__) beside the wrong solutions is not one of them.
    const wrongFiles = fs.existsSync(wrongDir) ? fs.readdirSync(wrongDir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(wrongDir, e.name)).sort() : [];
    exercises.push({ id, dir: exDir, def: exDef, templateFile, solutionFile, wrongFiles, hints });
  }
  return { name, dir, def, exercises };
}

/** Finds an exercise by its folder name, its number (`3`, `03`), its name without the number, or a part of its name only it has. */
export function findExercise(lab: LoadedLab, query: string): LoadedExercise {
  const q = query.toLowerCase();
  const name = (e: LoadedExercise) => e.id.split('-').slice(1).join('-');
  const exact = lab.exercises.filter((e) => e.id === q || (/^\d+$/.test(q) && Number(e.id.split('-')[0]) === Number(q)) || name(e) === q);
  if (exact.length === 1) return exact[0]!;
  // `dedupe` is 01-dedupe-orders when no other exercise's name holds it.
  const partial = /^[a-z0-9-]{3,}$/.test(q) ? lab.exercises.filter((e) => name(e).includes(q)) : [];
  if (partial.length === 1) return partial[0]!;
  const near = (e: LoadedExercise) => Math.min(editDistance(name(e), q), ...name(e).split('-').map((w) => editDistance(w, q))) <= Math.max(1, Math.floor(q.length / 4));
  const close = lab.exercises.filter((e) => partial.includes(e) || near(e));
  throw new LabError(
    `Unknown exercise '${query}' in ${lab.name}.`,
    close.length ? `Did you mean ${close.map((e) => e.id).join(' or ')}?` : `Exercises: ${lab.exercises.map((e) => e.id).join(', ')}.`,
  );
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
