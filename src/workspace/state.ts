import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LabError } from '../errors.js';

const LabStateSchema = z.object({
  status: z.enum(['up', 'down']),
  runtime: z.enum(['local', 'docker', 'remote']),
  seed: z.number().int().nonnegative(),
  scale: z.enum(['small', 'medium', 'large']),
  seededAt: z.string(),
  progress: z
    .object({
      passed: z.array(z.string()),
      total: z.number().int().nonnegative(),
      checkedAt: z.string(),
    })
    .optional(),
});

const StateSchema = z.object({
  version: z.literal(1).default(1),
  labs: z.record(z.string(), LabStateSchema).default({}),
  preferences: z.object({ runtime: z.enum(['local', 'docker', 'remote']).optional() }).default({}),
  /** How many hints of each `lab/exercise` the learner has seen. */
  hintsRevealed: z.record(z.string(), z.number().int().nonnegative()).default({}),
});

export type LabState = z.infer<typeof LabStateSchema>;
export type State = z.infer<typeof StateSchema>;

const emptyState = (): State => StateSchema.parse({});

/** `.lab/state.json`: which labs are up, with which seed, and the learner's progress. */
export class StateStore {
  readonly file: string;

  constructor(home: string) {
    this.file = path.join(home, 'state.json');
  }

  read(): State {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw err;
    }
    const shown = path.relative(process.cwd(), this.file) || this.file;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw this.corrupt(shown, `not valid JSON (${(err as Error).message.split('\n')[0]})`);
    }
    const parsed = StateSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw this.corrupt(shown, `${issue.path.join('.') || 'top level'}: ${issue.message}`);
    }
    return parsed.data;
  }

  lab(name: string): LabState | undefined {
    return this.read().labs[name];
  }

  /** Read-modify-write; written to a temp file and renamed so a crash never leaves half a file. */
  update(mutate: (state: State) => void): State {
    const state = this.read();
    mutate(state);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    fs.renameSync(tmp, this.file);
    return state;
  }

  private corrupt(shown: string, why: string): LabError {
    return new LabError(
      `The lab state file ${shown} is corrupt: ${why}.`,
      `Move it aside (\`mv ${shown} ${shown}.bak\`) and run \`lab up <lab>\` again; your workspace files are not in it and stay as they are.`,
    );
  }
}
