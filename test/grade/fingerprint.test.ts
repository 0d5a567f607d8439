import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { programDigest, programFiles } from '../../src/grade/fingerprint.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { scratchDir } from '../helpers.js';

describe('a grade follows the whole program', () => {
  it('hashes every built file a grade runs through: the check helpers, the models, the DuckDB client, the Python harness', () => {
    const files = programFiles().map((f) => path.relative(PACKAGE_ROOT, f));
    for (const f of ['dist/src/lab/checks.js', 'dist/src/lab/models.js', 'dist/src/lab/compare.js', 'dist/src/services/duckdb.js', 'dist/src/grade/grader.js', 'dist/src/runtime/models/duckdb.js', 'dist/datasets/ecommerce/generate.js', 'src/services/python/harness.py']) {
      expect(files, f).toContain(f);
    }
  });

  it('changes when any one file changes, and only then', () => {
    const root = scratchDir('program');
    fs.mkdirSync(path.join(root, 'dist', 'src', 'lab'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist', 'src', 'lab', 'checks.js'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(root, 'dist', 'src', 'main.js'), 'export const b = 2;\n');
    const before = programDigest(root, ['dist/src']);
    expect(programDigest(root, ['dist/src'])).toBe(before);
    fs.appendFileSync(path.join(root, 'dist', 'src', 'lab', 'checks.js'), '// a fix\n');
    // A fresh read (the digest is kept per process, as one process runs one program).
    expect(programDigest(root, ['dist/src', 'nothing-else'])).not.toBe(before);
  });
});
