import { spawn, spawnSync } from 'node:child_process';
import { LabError } from '../../errors.js';

/** A compose implementation on PATH: `docker compose`, `docker-compose` or `podman compose`. */
export interface ComposeCli {
  name: string;
  argv: string[];
  version: string;
}

const CANDIDATES: string[][] = [['docker', 'compose'], ['docker-compose'], ['podman', 'compose']];

export function findComposeCli(env: NodeJS.ProcessEnv = process.env): ComposeCli | undefined {
  const forced = env.LAB_COMPOSE?.trim();
  for (const argv of forced ? [forced.split(/\s+/)] : CANDIDATES) {
    const r = spawnSync(argv[0]!, [...argv.slice(1), 'version'], { encoding: 'utf8', env, timeout: 15_000 });
    if (r.status === 0) return { name: argv.join(' '), argv, version: /(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] ?? 'unknown' };
  }
  return undefined;
}

export function requireComposeCli(env: NodeJS.ProcessEnv = process.env): ComposeCli {
  const cli = findComposeCli(env);
  if (!cli) {
    throw new LabError(
      'No compose CLI found (tried `docker compose`, `docker-compose`, `podman compose`).',
      'Install one (Debian/Ubuntu: `apt-get install docker-compose`; or the Docker Compose plugin), or use the local runtime: `--runtime local`.',
    );
  }
  return cli;
}

export interface ComposeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `<compose> -p <project> -f <file>… <args>`; output lines stream to onLine as they come. */
export function runCompose(
  cli: ComposeCli,
  opts: { project: string; files: string[]; args: string[]; env: Record<string, string | undefined>; cwd?: string; onLine?: (line: string) => void },
): Promise<ComposeRun> {
  const args = [...cli.argv.slice(1), '-p', opts.project, ...opts.files.flatMap((f) => ['-f', f]), ...opts.args];
  return new Promise((resolve, reject) => {
    const child = spawn(cli.argv[0]!, args, { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const feed = (chunk: Buffer, sink: 'out' | 'err') => {
      const text = chunk.toString();
      if (sink === 'out') stdout += text;
      else stderr += text;
      for (const line of text.split(/\r?\n/)) if (line.trim()) opts.onLine?.(line);
    };
    child.stdout.on('data', (c: Buffer) => feed(c, 'out'));
    child.stderr.on('data', (c: Buffer) => feed(c, 'err'));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
