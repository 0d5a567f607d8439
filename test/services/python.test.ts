import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PythonVenv } from '../../src/services/python/python.js';
import { scratchDir } from '../helpers.js';

describe('PythonVenv', () => {
  it('lets one installer at a time create a shared venv; the other waits and then uses it', async () => {
    const dir = scratchDir('venv-lock');
    const requirements = path.join(dir, 'requirements.txt');
    fs.writeFileSync(requirements, '# nothing to install: the lock is what is under test\n');
    const venvDir = path.join(dir, 'venvs', 'lab');
    const lines: string[][] = [[], []];
    const [a, b] = await Promise.all([0, 1].map((i) => new PythonVenv(venvDir, requirements).start((l) => lines[i]!.push(l))));
    expect(fs.existsSync(a!.python)).toBe(true);
    expect(b!.python).toBe(a!.python);
    expect(new PythonVenv(venvDir, requirements).isCurrent()).toBe(true);
    expect(lines.flat().filter((l) => l.startsWith('Waiting for another lab process'))).toHaveLength(1);
    expect(fs.existsSync(`${venvDir}.lock`)).toBe(false);
  }, 120_000);

  it('takes over a lock left by a process that died', async () => {
    const dir = scratchDir('venv-stale-lock');
    const requirements = path.join(dir, 'requirements.txt');
    fs.writeFileSync(requirements, '\n');
    const venvDir = path.join(dir, 'venvs', 'lab');
    fs.mkdirSync(`${venvDir}.lock`, { recursive: true });
    fs.writeFileSync(path.join(`${venvDir}.lock`, 'pid'), '999999999');
    await new PythonVenv(venvDir, requirements).start();
    expect(new PythonVenv(venvDir, requirements).isCurrent()).toBe(true);
  }, 120_000);
});
