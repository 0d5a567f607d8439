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
    const wrongFiles = fs.existsSync(wrongDir) ? fs.readdirSync(wrongDir).sort().map((f) => path.join(wrongDir, f)) : [];
    exercises.push({ id, dir: exDir, def: exDef, templateFile, solutionFile, wrongFiles, hints });
  }
  return { name, dir, def, exercises };
}

/** Finds an exercise by its folder name, its number (`3`, `03`) or its name without the number. */
export function findExercise(lab: LoadedLab, query: string): LoadedExercise {
  const q = query.toLowerCase();
  const matches = lab.exercises.filter((e) => {
    const [num, ...rest] = e.id.split('-');
    return e.id === q || (/^\d+$/.test(q) && Number(num) === Number(q)) || rest.join('-') === q;
  });
  if (matches.length === 1) return matches[0]!;
  throw new LabError(
    `Unknown exercise '${query}' in ${lab.name}.`,
    `Exercises: ${lab.exercises.map((e) => e.id).join(', ')}.`,
  );
}
