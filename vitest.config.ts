import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The files that take most of a run, longest first: started first, they are not left for last on a fresh clone (no timing cache). */
const LONGEST = ['test/labs/exercises-slow.test.ts', 'test/runtime/docker/podman.test.ts', 'test/labs/exercises.test.ts'];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((p) => f.moduleId.endsWith(p));
      return i === -1 ? LONGEST.length : i;
    };
    return (await super.sort(files)).map((f, order) => ({ f, order })).sort((a, b) => rank(a.f) - rank(b.f) || a.order - b.order).map(({ f }) => f);
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Each file starts real engines; two at a time matches the 2-core machines this runs on.
    maxWorkers: 2,
    minWorkers: 1,
    sequence: { sequencer: LongestFirst },
  },
});
