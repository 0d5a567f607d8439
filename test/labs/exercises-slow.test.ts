import { describe, expect, it } from 'vitest';
import { listLabNames } from '../../src/lab/load.js';
import { devCheckPasses, SLOW_LABS } from './dev-check.js';

// The labs whose dev check takes longest, in a file of their own: CI runs it beside exercises.test.ts.
describe('lab dev check, the slow labs', () => {
  it('every slow lab is a lab', () => expect(listLabNames()).toEqual(expect.arrayContaining(SLOW_LABS)));
  for (const name of SLOW_LABS) devCheckPasses(name);
});
