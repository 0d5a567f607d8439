import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CLI = path.resolve('dist', 'src', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A scratch project folder, as a learner's: ./workspace and ./.lab are created inside. */
export function scratchDir(prefix: string): string {
  return fs.mkdtempSync(path.join(process.env.LAB_TEST_TMP ?? os.tmpdir(), `lab-${prefix}-`));
}

/** Runs the built `lab` CLI as a user would. */
export function lab(args: string[], opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number; onStderr?: (soFar: string) => void }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      opts.onStderr?.(stderr);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 170_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
