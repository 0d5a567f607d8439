import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failedOnlyMeasurements, validateLab } from '../../src/grade/dev-check.js';
import type { ExerciseResult } from '../../src/grade/grader.js';
import { loadLab } from '../../src/lab/load.js';
import { scratchDir } from '../helpers.js';

describe('validateLab: a lab as data', () => {
  it('finds nothing wrong with the shipped labs', async () => {
    for (const name of ['month1', 'month4']) expect(validateLab(await loadLab(name))).toEqual([]);
  });

  it('names an exercise with too few hints, a shared number, a template that is its solution, and a missing lesson', async () => {
    const month1 = await loadLab('month1');
    const dir = scratchDir('dev-lab');
    const [a, b] = month1.exercises;
    const broken = {
      ...month1,
      dir,
      exercises: [
        { ...a!, hints: ['only one'] },
        { ...b!, id: '01-again', solutionFile: b!.templateFile },
      ],
    };
    const problems = validateLab(broken).map((f) => `${f.exercise ?? 'lab'}: ${f.problem}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'lab: has no README.md lesson',
        `${a!.id}: has 1 hint in hints.md (## sections); a learner needs at least 2`,
        '01-again: its template is its solution',
        expect.stringMatching(/^lab: exercises 01-dedupe-orders and 01-again share the number 1/),
      ]),
    );
    expect(fs.existsSync(path.join(dir, 'README.md'))).toBe(false);
  });
});

describe('dev check: a measurement is taken again before it counts against a reference', () => {
  const result = (checks: Array<Record<string, unknown>>) => ({ checks }) as unknown as ExerciseResult;
  it('retakes a reference that missed only a measured threshold (latency on a busy machine), never one with wrong rows or an error', () => {
    const latency = { name: 'alerts within 150 ms (p99)', status: 'fail', passed: false, message: 'p99 649 > 150', score: 649, threshold: 150 };
    const rows = { name: 'same rows', status: 'fail', passed: false, message: '3 rows missing' };
    const ok = { name: 'ok', status: 'pass', passed: true, message: '' };
    expect(failedOnlyMeasurements(result([ok, latency]))).toBe(true);
    expect(failedOnlyMeasurements(result([latency, rows]))).toBe(false);
    expect(failedOnlyMeasurements(result([{ ...latency, status: 'error' }]))).toBe(false);
  });
});
