import { expect, it } from 'vitest';
import { lab, scratchDir } from '../helpers.js';

/** The labs whose dev check takes longest (a Kafka broker, an embedding model): a file of their own, so CI runs it beside the others. */
export const SLOW_LABS = ['month5', 'month6'];

/** Like rustlings' `dev check`, through the shipped verb: the lab is valid as data, every template fails and every reference passes, on both seeds. */
export function devCheckPasses(name: string): void {
  it(`${name}: valid as data, every template fails, every reference passes`, async () => {
    const r = await lab(['dev', 'check', name], { cwd: scratchDir(`dev-${name}`), timeoutMs: 1_500_000 });
    expect(r.stdout.split('\n').filter((l) => l.includes('✗')), r.stdout + r.stderr).toEqual([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`✓ ${name}: valid, every template fails, every reference passes`));
    expect(r.stdout).toMatch(/✓ \d\d-[a-z0-9-]+: the template (and \d+ wrong solutions? )?fails?, the reference passes/);
    expect(r.stdout).toMatch(/✓ \d+ traps, each in the data/);
  }, 1_500_000);
}
