import { describe, expect, it } from 'vitest';
import { listLabNames } from '../../src/lab/load.js';
import { lab, scratchDir } from '../helpers.js';

// Like rustlings' `dev check`, through the shipped verb: for every exercise of every lab, the lab is
// valid as data, the template fails and the reference solution passes, on the learner's seed and
// on the hidden one.
describe('lab dev check', () => {
  for (const name of listLabNames()) {
    it(`${name}: valid as data, every template fails, every reference passes`, async () => {
      const r = await lab(['dev', 'check', name], { cwd: scratchDir(`dev-${name}`), timeoutMs: 1_500_000 });
      expect(r.stdout.split('\n').filter((l) => l.includes('✗')), r.stdout + r.stderr).toEqual([]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`✓ ${name}: valid, every template fails, every reference passes`));
      expect(r.stdout).toMatch(/✓ \d\d-[a-z0-9-]+: the template (and \d+ wrong solutions? )?fails?, the reference passes/);
      expect(r.stdout).toMatch(/✓ \d+ traps, each in the data/);
    }, 1_500_000);
  }

  it('names what is wrong with a lab, and exits 1', async () => {
    const r = await lab(['dev', 'check', 'month9'], { cwd: scratchDir('dev-unknown') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Unknown lab 'month9'\./m);
  });
});
