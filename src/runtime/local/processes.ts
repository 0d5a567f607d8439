import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LabError } from '../../errors.js';
import { isAlive } from '../../pids.js';
import type { Role } from '../../services/roles.js';
import type { LocalProcess, LocalProcessContext, ServiceModule } from '../../services/service.js';
import type { Output } from '../../ui/output.js';

/** A service the local runtime runs as a process: its module, and the folder that holds its pid, log and data. */
export interface LocalService {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  module: ServiceModule<Role, any, any> & { local: LocalProcess<unknown> };
  dir: string;
}

interface PidFile {
  pid: number;
  port: number;
}

const pidFile = (s: LocalService) => path.join(s.dir, 'process.json');
export const logFile = (s: LocalService) => path.join(s.dir, `${s.module.name}.log`);

export const portVariable = (s: LocalService) => `LAB_LOCAL_${s.module.name.toUpperCase()}_PORT`;

/** The port a local service listens on: its module's, unless LAB_LOCAL_<NAME>_PORT moves it. */
export function localPort(s: LocalService): number {
  const env = process.env[portVariable(s)];
  return env ? Number(env) : s.module.local.port;
}

/** A port free on 127.0.0.1 now, with the one above it free too (Kafka's controller listens there). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    if (port < 65_535 && (await portIsFree(port + 1))) return port;
  }
}

/** The running process of a local service, if its pid file names a live one. */
export function runningProcess(s: LocalService): PidFile | undefined {
  try {
    const saved = JSON.parse(fs.readFileSync(pidFile(s), 'utf8')) as PidFile;
    return isAlive(saved.pid) ? saved : undefined;
  } catch {
    return undefined;
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function lastLogLines(s: LocalService, n = 3): string {
  try {
    return fs.readFileSync(logFile(s), 'utf8').trim().split('\n').slice(-n).join(' | ').slice(0, 400);
  } catch {
    return 'no log';
  }
}

/**
 * Starts a local service (or keeps the one running), detached so it outlives this command, and
 * waits until its protocol probe answers. Returns its connection.
 */
export async function startLocalService(s: LocalService, cacheDir: string, output: Output, venvPython?: LocalProcessContext['venvPython']): Promise<unknown> {
  const { module } = s;
  const running = runningProcess(s);
  if (running) {
    const connection = module.local.connection(running.port);
    try {
      await module.probe(connection);
      return connection;
    } catch {
      await stopLocalService(s); // alive but not answering: start it again
    }
  }
  const port = localPort(s);
  if (!(await portIsFree(port))) {
    throw new LabError(`Port ${port} on 127.0.0.1 is taken by another program: the local ${module.name} cannot listen there.`, `Stop that program, or move ${module.name}: LAB_LOCAL_${module.name.toUpperCase()}_PORT=<port> lab up …`);
  }
  const ctx: LocalProcessContext = { dir: s.dir, cacheDir, port, output, ...(venvPython ? { venvPython } : {}) };
  await module.local.prepare(ctx);
  const { command, args, env } = await module.local.command(ctx);
  fs.mkdirSync(s.dir, { recursive: true });
  const log = fs.openSync(logFile(s), 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env } });
  fs.closeSync(log);
  // Our own child stays a zombie (alive to kill -0) until reaped: its exit event says it stopped.
  let exited = false;
  child.once('exit', () => (exited = true));
  const failedToStart = new Promise<never>((_, reject) => child.once('error', (err) => reject(new LabError(`Could not start ${module.name}: ${err.message}`, `Is \`${command}\` installed?`))));
  failedToStart.catch(() => undefined);
  child.unref();
  fs.writeFileSync(pidFile(s), JSON.stringify({ pid: child.pid ?? 0, port } satisfies PidFile));
  const connection = module.local.connection(port);
  const done = output.progress().start(`${module.name}: starting on 127.0.0.1:${port}`);
  const t0 = Date.now();
  for (;;) {
    try {
      await Promise.race([module.probe(connection), failedToStart]);
      done(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return connection;
    } catch (err) {
      if (err instanceof LabError) throw err;
      if (exited) {
        throw new LabError(`${module.name} stopped while starting: ${lastLogLines(s)}`, `Its log: ${logFile(s)}`);
      }
      if (Date.now() - t0 > module.local.readyWithinMs) {
        await stopLocalService(s);
        throw new LabError(`${module.name} did not answer within ${module.local.readyWithinMs / 1000} s: ${lastLogLines(s)}`, `Its log: ${logFile(s)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Stops a local service's process (TERM, then KILL after 10 s); true when one was running. */
export async function stopLocalService(s: LocalService): Promise<boolean> {
  const running = runningProcess(s);
  fs.rmSync(pidFile(s), { force: true });
  if (!running) return false;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(running.pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  for (let i = 0; i < 100 && isAlive(running.pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(running.pid)) signal('SIGKILL');
  return true;
}

/** A service started for one command in a folder of its own (`lab compare`'s Postgres and Kafka), stopped and removed after. */
export interface TemporaryService<C> {
  connection: C;
  stop(): Promise<void>;
}

/**
 * Starts a module's local process on a free port in a new temporary folder (cacheDir holds what it
 * downloads, kept between runs); `stop` ends it and removes the folder.
 */
export async function startTemporaryService<C>(module: ServiceModule<Role, C, unknown>, local: LocalProcess<C>, cacheDir: string, output: Output): Promise<TemporaryService<C>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lab-${module.name}-`));
  const s: LocalService = { module: { ...module, local: { ...local, port: await freePort() } } as LocalService['module'], dir };
  const prior = process.env[portVariable(s)];
  delete process.env[portVariable(s)];
  const stop = async () => {
    await stopLocalService(s);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const connection = (await startLocalService(s, cacheDir, output)) as C;
    return { connection, stop };
  } catch (err) {
    await stop();
    throw err;
  } finally {
    if (prior !== undefined) process.env[portVariable(s)] = prior;
  }
}
