import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeExercise } from '../../src/grade/grader.js';
import { listLabNames, loadLab, type LoadedLab } from '../../src/lab/load.js';
import { resolvePaths } from '../../src/paths.js';
import { LocalRuntime } from '../../src/runtime/local/local-runtime.js';
import type { StartedStack } from '../../src/runtime/runtime.js';
import { consoleOutput } from '../../src/ui/output.js';
import { learnerFile, syncTemplates } from '../../src/workspace/workspace.js';
import { scratchDir } from '../helpers.js';

// Like rustlings' `dev check`: for every exercise of every lab, the template fails and the
// reference solution passes, on the learner's seed and on the hidden one.
for (const name of listLabNames()) {
  describe(`${name} exercises`, () => {
    let lab: LoadedLab;
    let stack: StartedStack;
    const paths = resolvePaths({}, scratchDir(`dev-${name}`));

    beforeAll(async () => {
      lab = await loadLab(name);
      stack = await new LocalRuntime(paths).up(lab, { seed: 42, scale: 'small', output: consoleOutput({ quiet: true }) });
      syncTemplates(paths, lab);
    });
    afterAll(() => fs.rmSync(paths.home, { recursive: true, force: true }));

    it('has a README lesson and at least one exercise, each with hints', async () => {
      expect(fs.existsSync(`${lab.dir}/README.md`)).toBe(true);
      expect(lab.exercises.length).toBeGreaterThan(0);
      for (const ex of lab.exercises) expect(ex.hints.length, `${ex.id} hints`).toBeGreaterThanOrEqual(2);
    });

    it('fails every template and passes every reference solution', async () => {
      const problems: string[] = [];
      for (const ex of lab.exercises) {
        const file = learnerFile(paths, lab, ex);
        fs.copyFileSync(ex.templateFile, file);
        const template = await gradeExercise(stack, paths, ex);
        if (template.passed) problems.push(`${ex.id}: the template passes`);
        if (template.checks.some((c) => !c.passed && c.message.trim() === '')) problems.push(`${ex.id}: a failed check has no message`);
        fs.copyFileSync(ex.solutionFile, file);
        const solution = await gradeExercise(stack, paths, ex);
        if (!solution.passed) problems.push(`${ex.id}: the reference fails: ${solution.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.message}`).join('; ')}`);
        expect(solution.checks.some((c) => c.name.includes('hidden seed')), `${ex.id} runs on the hidden seed`).toBe(true);
      }
      expect(problems).toEqual([]);
    });
  });
}
