import { describe, expect, it } from 'vitest';
import { listLabNames } from '../../src/lab/load.js';
import { lab, scratchDir } from '../helpers.js';
import { devCheckPasses, SLOW_LABS } from './dev-check.js';

// For every exercise of every lab (the slow ones in exercises-slow.test.ts, run beside this file):
// the lab is valid as data, the template fails and the reference solution passes, on the learner's
// seed and on the hidden one.
describe('lab dev check', () => {
  for (const name of listLabNames().filter((n) => !SLOW_LABS.includes(n))) devCheckPasses(name);

  it('names what is wrong with a lab, and exits 1', async () => {
    const r = await lab(['dev', 'check', 'month9'], { cwd: scratchDir('dev-unknown') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Unknown lab 'month9'\./m);
  });
});
