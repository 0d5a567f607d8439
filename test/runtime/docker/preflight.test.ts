import { describe, expect, it } from 'vitest';
import { LabError } from '../../../src/errors.js';
import { loadComposeFile } from '../../../src/runtime/docker/compose-file.js';
import type { ConnectedEngine } from '../../../src/runtime/docker/engine.js';
import { checkMemory } from '../../../src/runtime/docker/preflight.js';
import { findEngine } from '../../../src/runtime/docker/engine.js';
import { ensureCredentials, requiredVariables } from '../../../src/runtime/docker/credentials.js';
import fs from 'node:fs';
import path from 'node:path';
import { scratchDir } from '../../helpers.js';

const engineWith = (memTotalBytes: number) => ({ version: { name: 'Podman', version: '4.3.1', memTotalBytes } }) as unknown as ConnectedEngine;

describe('docker pre-flight', () => {
  it('compares the engine memory with the sum of the stack limits, and says how much to give', () => {
    const month4 = loadComposeFile('month4', { LAB_S3_ACCESS_KEY: 'x', LAB_S3_SECRET_KEY: 'y' });
    let error: unknown;
    try {
      checkMemory(engineWith(4 * 1024 ** 3), month4);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toBe("month4's stack needs 8.5 GiB (the sum of its services' memory limits), but the Podman engine has 4 GiB.");
    expect((error as LabError).hint).toMatch(/Give the engine at least 9.5 GiB/);
    expect(() => checkMemory(engineWith(16 * 1024 ** 3), month4)).not.toThrow();
  });

  it('finds the engine through DOCKER_HOST first', () => {
    expect(findEngine({ DOCKER_HOST: 'unix:///tmp/x.sock' })).toMatchObject({ source: 'DOCKER_HOST', address: '/tmp/x.sock' });
    expect(findEngine({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toMatchObject({ source: 'DOCKER_HOST', address: '127.0.0.1:2375' });
  });

  it('generates each required credential once, in a file only the user can read', () => {
    const file = path.join(scratchDir('creds'), '.lab', 'month4', 'docker', 'credentials.env');
    const vars = requiredVariables(fs.readFileSync(loadComposeFile('month4', { LAB_S3_ACCESS_KEY: 'x', LAB_S3_SECRET_KEY: 'y' }).file, 'utf8'));
    expect(vars).toEqual(['LAB_S3_ACCESS_KEY', 'LAB_S3_SECRET_KEY']);
    const first = ensureCredentials(file, vars);
    expect(first.LAB_S3_SECRET_KEY).toMatch(/^[\w-]{24}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureCredentials(file, vars)).toEqual(first);
  });
});
