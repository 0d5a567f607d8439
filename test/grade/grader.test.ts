import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeLab } from '../../src/grade/grader.js';
import { jsonReport, junitReport } from '../../src/grade/reporters.js';
import { loadLab, type LoadedExercise, type LoadedLab } from '../../src/lab/load.js';
import { resolvePaths } from '../../src/paths.js';
import { LocalRuntime } from '../../src/runtime/local/local-runtime.js';
import type { StartedStack } from '../../src/runtime/runtime.js';
import { consoleOutput } from '../../src/ui/output.js';
import { learnerFile, syncTemplates } from '../../src/workspace/workspace.js';
import { scratchDir } from '../helpers.js';

// The pipeline keeps pass, fail, error and skipped apart, and one broken exercise never hides the others' grades.
describe('the grading pipeline', () => {
  let month1: LoadedLab;
  let stack: StartedStack;
  const cwd = scratchDir('grader');
  const paths = resolvePaths({}, cwd);

  beforeAll(async () => {
    month1 = await loadLab('month1');
    stack = await new LocalRuntime(paths).up(month1, { seed: 42, scale: 'small', output: consoleOutput({ quiet: true }) });
    syncTemplates(paths, month1);
  });
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

  const sqlExercise = () => month1.exercises.find((e) => e.def.kind === 'sql')!;

  it('a reference of the lab that fails is that exercise\'s error, the lab\'s fault; the next exercise is still graded', async () => {
    const good = sqlExercise();
    const brokenSolution = path.join(cwd, 'broken-reference.sql');
    fs.writeFileSync(brokenSolution, 'SELECT no_such_column FROM orders\n');
    const broken: LoadedExercise = { ...good, id: good.id, solutionFile: brokenSolution };
    fs.copyFileSync(good.solutionFile, learnerFile(paths, month1, good));
    const report = await gradeLab(stack, paths, [broken, good], { fresh: true });
    const [first, second] = report.exercises;
    expect(first!.passed).toBe(false);
    expect(first!.checks.find((c) => c.name === 'reference solution')).toMatchObject({ status: 'error', passed: false, message: expect.stringMatching(/the reference solution of month1\/.* failed on seed 42 \(small\).*a bug in the lab, not in your solution/) });
    expect(second!.passed).toBe(true);
    expect(report.score).toBe(1);
  });

  it('a solution that does not run is an error; a wrong one is a failure; JSON and JUnit say which', async () => {
    const ex = sqlExercise();
    fs.writeFileSync(learnerFile(paths, month1, ex), 'SELECT order_id FROM\n');
    const notRun = (await gradeLab(stack, paths, [ex], { fresh: true })).exercises[0]!;
    expect(notRun.checks.find((c) => c.name.startsWith('runs on'))).toMatchObject({ status: 'error', passed: false });
    fs.writeFileSync(learnerFile(paths, month1, ex), 'SELECT * FROM orders\n');
    const report = await gradeLab(stack, paths, [ex], { fresh: true });
    const same = report.exercises[0]!.checks.find((c) => c.name.startsWith('same rows'));
    expect(same).toMatchObject({ status: 'fail', passed: false });
    const json = JSON.parse(jsonReport(report));
    expect(json.version).toBe(1);
    expect(json.exercises[0].checks.map((c: { status: string }) => c.status)).toContain('fail');
    const errorReport = { ...report, exercises: [notRun] };
    expect(junitReport(errorReport)).toMatch(/<error message="/);
    expect(junitReport(errorReport)).toMatch(/errors="1"/);
  });

  it('a check that throws is an error of that check, not a crash of the grade', async () => {
    const ex = sqlExercise();
    fs.copyFileSync(ex.solutionFile, learnerFile(paths, month1, ex));
    const throwing = { name: 'a check with a bug', on: 'results' as const, run: async () => { throw new Error('boom'); } };
    const withBug: LoadedExercise = { ...ex, def: { ...ex.def, kind: 'sql', checks: [...ex.def.checks, throwing] } as LoadedExercise['def'] };
    const r = (await gradeLab(stack, paths, [withBug], { fresh: true })).exercises[0]!;
    expect(r.checks.filter((c) => c.name.startsWith('a check with a bug'))).toEqual([
      expect.objectContaining({ status: 'error', message: 'the check could not run: boom' }),
      expect.objectContaining({ status: 'error', message: 'the check could not run: boom' }),
    ]);
    expect(r.checks.filter((c) => c.name.startsWith('same rows')).every((c) => c.status === 'pass')).toBe(true);
  });
});
