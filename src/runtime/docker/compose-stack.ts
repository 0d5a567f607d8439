import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import pc from 'picocolors';
import { LabError } from '../../errors.js';
import { probeTcp } from '../../services/probes.js';
import { serviceForRole } from '../../services/registry.js';
import type { Role, RoleClients } from '../../services/roles.js';
import { formatMs, type Output } from '../../ui/output.js';
import { loadComposeFile, PROJECT_LABEL, SERVICE_LABEL, type ComposeService, type ComposeStackFile } from './compose-file.js';
import { requireComposeCli, runCompose, type ComposeCli } from './compose-cli.js';
import { ensureCredentials, readEnvFile, requiredVariables, saveSettings, settingVariables } from './credentials.js';
import { connectEngine, type ConnectedEngine } from './engine.js';
import { writeLocalImagesOverride } from './images.js';
import { preflight } from './preflight.js';

/** How long a service may take to answer its probe; Trino and Spark need the longest. */
export const DEFAULT_READY_TIMEOUT_MS = 240_000;
const LOG_TAIL_LINES = 15;

export interface ComposeStackOptions {
  /** `.lab/<lab>/docker`: credentials and generated override files live here. */
  dir: string;
  localImages?: boolean;
  readyTimeoutMs?: number;
  /** Only these services of the file (compose starts what they depend on too); default: all. */
  services?: string[];
  /** Where the engine, ports and bind address come from (DOCKER_HOST, LAB_*_PORT…); default: this process's environment. */
  env?: NodeJS.ProcessEnv;
}

interface Prepared {
  engine: ConnectedEngine;
  cli: ComposeCli;
  stack: ComposeStackFile;
  env: Record<string, string | undefined>;
  files: string[];
}

/** A lab's compose stack before it runs: `start()` does pre-flight, `compose up`, and waits on each service's own probe. */
export class ComposeStack {
  constructor(
    readonly lab: string,
    private readonly opts: ComposeStackOptions,
  ) {}

  private settingsFile(): string {
    return path.join(this.opts.dir, 'settings.env');
  }

  private async prepare(): Promise<Prepared> {
    loadComposeFile(this.lab); // no compose file: one line before touching any engine
    const base = this.opts.env ?? process.env;
    const engine = await connectEngine(base);
    const cli = requireComposeCli(base);
    const text = fs.readFileSync(loadComposeFile(this.lab).file, 'utf8');
    const credentials = ensureCredentials(path.join(this.opts.dir, 'credentials.env'), requiredVariables(text));
    // Ports chosen at `up` stick to the lab; a variable set now still wins.
    // LAB_STACK_DIR: the lab's folder on the host, for a service that mounts it (month2's Spark server).
    const env = { ...readEnvFile(this.settingsFile()), ...base, ...engine.composeEnv(), ...credentials, LAB_STACK_DIR: path.resolve(this.opts.dir) };
    const full = loadComposeFile(this.lab, env);
    const only = this.opts.services;
    const stack = only?.length ? { ...full, services: full.services.filter((s) => only.includes(s.name)) } : full;
    const files = [stack.file];
    if (this.opts.localImages) files.push(await writeLocalImagesOverride(engine, full, path.join(this.opts.dir, 'local-images.yaml'), only));
    return { engine, cli, stack, env, files };
  }

  async start(output: Output, opts: { recreateVolumes?: boolean } = {}): Promise<StartedComposeStack> {
    const p = await this.prepare();
    const { engine, cli, stack } = p;
    output.info(pc.dim(`engine: ${engine.version.name} ${engine.version.version} (${engine.endpoint.source} ${engine.endpoint.address}) · compose: ${cli.name} ${cli.version}${this.opts.localImages ? ' · local images' : ''}`));
    if (opts.recreateVolumes) await this.compose(p, ['down', '--volumes', '--remove-orphans'], output);
    await preflight(engine, stack);
    const done = output.progress().start(`compose up (project ${stack.project}, ${stack.services.length} services)`);
    const up = await this.compose(p, ['up', '-d', '--remove-orphans', ...(this.opts.services ?? [])], output);
    if (up.code !== 0) {
      throw new LabError(`\`${cli.name} up\` failed for ${stack.project}: ${lastLines(up.stderr || up.stdout, 3).join(' | ')}`, 'Fix what it says, then run `lab up` again; `lab logs <lab>` shows the services\' output.');
    }
    done();
    saveSettings(this.settingsFile(), settingVariables(fs.readFileSync(stack.file, 'utf8')), p.env);
    const started = new StartedComposeStack(p.engine, p.cli, p.stack, p.env, p.files);
    await started.waitReady(output, this.opts.readyTimeoutMs ?? (Number(process.env.LAB_READY_TIMEOUT_S ?? 0) * 1000 || DEFAULT_READY_TIMEOUT_MS));
    return started;
  }

  /** Connects to a stack `start()` left running, without touching it. */
  async attach(): Promise<StartedComposeStack> {
    const p = await this.prepare();
    return new StartedComposeStack(p.engine, p.cli, p.stack, p.env, p.files);
  }

  /** Stops and removes the containers and network; with volumes, the data too. Works without the engine's help for nothing left behind. */
  async stop(output: Output, opts: { volumes?: boolean } = {}): Promise<void> {
    const p = await this.prepare();
    const r = await this.compose(p, ['down', '--remove-orphans', ...(opts.volumes ? ['--volumes'] : [])], output);
    if (r.code !== 0) throw new LabError(`\`${p.cli.name} down\` failed for ${p.stack.project}: ${lastLines(r.stderr, 3).join(' | ')}`, 'Run it again; `lab status` shows what is left.');
  }

  private compose(p: Prepared, args: string[], output: Output) {
    return runCompose(p.cli, { project: p.stack.project, files: p.files, args, env: p.env, cwd: path.dirname(p.stack.file), onLine: (line) => output.info(pc.dim(`      ${line.slice(0, 120)}`)) });
  }
}

export interface ServiceStatus {
  service: string;
  role?: string;
  state: string;
  ports: string;
  memory?: string;
  exitCode?: number;
}

/** A running stack: the only place connection details and clients come from. */
export class StartedComposeStack {
  constructor(
    readonly engine: ConnectedEngine,
    readonly cli: ComposeCli,
    readonly stack: ComposeStackFile,
    private readonly env: Record<string, string | undefined>,
    readonly files: string[],
  ) {}

  get project(): string {
    return this.stack.project;
  }

  service(name: string): ComposeService {
    const s = this.stack.services.find((x) => x.name === name);
    if (!s) throw new Error(`${this.stack.lab} has no service ${name}`);
    return s;
  }

  /** Whether the stack runs a service in this role. */
  has(role: string): boolean {
    return this.stack.services.some((x) => x.role === role);
  }

  private serviceByRole(role: string): ComposeService {
    const s = this.stack.services.find((x) => x.role === role);
    if (!s) throw new LabError(`${this.stack.lab}'s stack has no ${role} service.`);
    return s;
  }

  /** The host address of a service's published container port (loopback when it binds all interfaces). */
  hostPort(service: ComposeService, containerPort: number): { host: string; port: number } {
    const p = service.ports.find((x) => x.containerPort === containerPort);
    if (!p) throw new Error(`${service.name} does not publish port ${containerPort}`);
    return { host: p.hostIp === '0.0.0.0' || p.hostIp === '::' ? '127.0.0.1' : p.hostIp, port: p.hostPort };
  }

  /** A service's connection details, as its module reads them from the published port and the lab's credentials. */
  connectionOf(service: ComposeService): unknown {
    const module = serviceForRole(service.role ?? '');
    if (!module) throw new LabError(`${this.stack.lab}'s service ${service.name} has no service module for its role '${service.role ?? '(none)'}'.`);
    const environment = (this.stack.raw.services as Record<string, { environment?: Record<string, string> }>)[service.name]?.environment ?? {};
    const published = (containerPort: number) => (service.ports.some((x) => x.containerPort === containerPort) ? this.hostPort(service, containerPort) : undefined);
    return module.fromCompose({ ...this.hostPort(service, module.containerPort), variable: (name) => this.env[name] ?? '', environment, published });
  }

  /** The started client of the service that plays a role. */
  client<R extends Role>(role: R): RoleClients[R] {
    const service = this.serviceByRole(role);
    return serviceForRole(role)!.start(this.connectionOf(service)) as RoleClients[R];
  }

  /** The protocol-level readiness probe of a service, from the module of its role (a service with none: its first port accepts). */
  probeFor(service: ComposeService): () => Promise<void> {
    const module = serviceForRole(service.role ?? '');
    if (module) return () => module.probe(this.connectionOf(service));
    const first = service.ports[0];
    if (!first) return async () => undefined;
    const { host, port } = this.hostPort(service, first.containerPort);
    return () => probeTcp(host, port);
  }

  private async container(service: string) {
    const [info] = await this.engine.docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${this.project}`, `${SERVICE_LABEL}=${service}`] } });
    return info ? this.engine.docker.getContainer(info.Id) : undefined;
  }

  /** The last lines a service printed, for a failure message. */
  async lastLogLines(service: string, lines = LOG_TAIL_LINES): Promise<string[]> {
    const container = await this.container(service);
    if (!container) return [];
    const buf = (await container.logs({ stdout: true, stderr: true, tail: lines, follow: false })) as unknown as Buffer;
    return demux(buf).split('\n').filter((l) => l.trim()).slice(-lines);
  }

  /** Streams a service's logs; resolves when the stream ends (follow: when the container stops or the caller aborts). */
  async streamLogs(service: string, opts: { follow?: boolean; tail?: number; write: (text: string) => void; signal?: AbortSignal }): Promise<void> {
    const container = await this.container(service);
    if (!container) throw new LabError(`${this.stack.lab} has no container for ${service}.`, `Services: ${this.stack.services.map((s) => s.name).join(', ')}.`);
    if (!opts.follow) {
      const buf = (await container.logs({ stdout: true, stderr: true, tail: opts.tail ?? 200, follow: false, timestamps: false })) as unknown as Buffer;
      opts.write(demux(buf));
      return;
    }
    const stream = (await container.logs({ stdout: true, stderr: true, tail: opts.tail ?? 200, follow: true })) as NodeJS.ReadableStream & { destroy(): void };
    await new Promise<void>((resolve) => {
      const out = new PassThrough();
      out.on('data', (c: Buffer) => opts.write(c.toString()));
      this.engine.docker.modem.demuxStream(stream, out, out);
      stream.on('end', resolve);
      opts.signal?.addEventListener('abort', () => {
        stream.destroy();
        resolve();
      });
    });
  }

  async status(): Promise<ServiceStatus[]> {
    const containers = await this.engine.docker.listContainers({ all: true, filters: { label: [`${PROJECT_LABEL}=${this.project}`] } });
    const rows: ServiceStatus[] = [];
    for (const s of this.stack.services) {
      const c = containers.find((x) => x.Labels[SERVICE_LABEL] === s.name);
      if (!c) {
        rows.push({ service: s.name, role: s.role, state: 'absent', ports: '' });
        continue;
      }
      const ports = c.Ports.filter((p) => p.PublicPort).map((p) => `${p.IP ?? '127.0.0.1'}:${p.PublicPort}->${p.PrivatePort}`).join(', ');
      let memory: string | undefined;
      let exitCode: number | undefined;
      if (c.State === 'running') {
        try {
          const stats = (await this.engine.docker.getContainer(c.Id).stats({ stream: false })) as { memory_stats?: { usage?: number; limit?: number } };
          const usage = stats.memory_stats?.usage;
          if (usage) memory = `${Math.round(usage / 1024 ** 2)} MiB${stats.memory_stats?.limit ? ` / ${Math.round(stats.memory_stats.limit / 1024 ** 2)} MiB` : ''}`;
        } catch {
          // stats are a nicety; an engine without them still reports state
        }
      } else {
        const inspect = await this.engine.docker.getContainer(c.Id).inspect();
        exitCode = inspect.State.ExitCode;
      }
      rows.push({ service: s.name, role: s.role, state: c.State, ports, memory, exitCode });
    }
    return rows;
  }

  /** Waits until every service answers its probe; a service that exits or never answers fails with its last log lines. */
  async waitReady(output: Output, timeoutMs: number): Promise<void> {
    const board = output.progress().board(this.stack.services.map((s) => s.name));
    try {
      await Promise.all(
        this.stack.services.map(async (service) => {
          const probe = this.probeFor(service);
          const started = performance.now();
          let lastError = 'no answer yet';
          for (;;) {
            try {
              await probe();
              board.set(service.name, `ready ${pc.dim(`(${formatMs(performance.now() - started)})`)}`, true);
              return;
            } catch (err) {
              lastError = (err as Error).message?.split('\n')[0] || String(err);
            }
            const container = await this.container(service.name);
            const inspect = container ? await container.inspect() : undefined;
            if (inspect && !inspect.State.Running && inspect.State.Status !== 'created') {
              throw await this.exitedError(service.name, inspect.State.ExitCode, inspect.State.OOMKilled, output);
            }
            if (performance.now() - started > timeoutMs) {
              await this.printLogs(service.name, output);
              throw new LabError(
                `${service.name} did not become ready within ${formatMs(timeoutMs)} (${lastError}).`,
                `Its last log lines are above; \`lab logs ${this.stack.lab} ${service.name}\` shows more. A slow machine may need LAB_READY_TIMEOUT_S=600.`,
              );
            }
            board.set(service.name, `starting (${formatMs(performance.now() - started)})`);
            await new Promise((r) => setTimeout(r, 1_000));
          }
        }),
      );
    } finally {
      board.stop();
    }
  }

  private async printLogs(service: string, output: Output): Promise<void> {
    const lines = await this.lastLogLines(service).catch(() => []);
    output.info(pc.dim(`  last lines of ${service}:${lines.length ? '' : ' (it printed nothing yet)'}`));
    for (const l of lines) output.info(pc.dim(`    ${l.slice(0, 200)}`));
  }

  async exitedError(service: string, exitCode: number, oomKilled: boolean, output: Output): Promise<LabError> {
    await this.printLogs(service, output);
    if (exitCode === 137 || oomKilled) {
      return new LabError(
        `${service} was killed (exit 137${oomKilled ? ', out of memory' : ''}): it needed more memory than its limit or the engine had.`,
        `Give the engine more memory (or raise ${service}'s mem_limit in compose/${this.stack.lab}.yaml), then \`lab up ${this.stack.lab} --runtime docker\` again.`,
      );
    }
    return new LabError(`${service} exited with code ${exitCode}.`, `Its last log lines are above; \`lab logs ${this.stack.lab} ${service}\` shows more.`);
  }
}

function lastLines(text: string, n: number): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(-n);
}

/** Docker multiplexes stdout/stderr of a non-TTY container in 8-byte framed chunks. */
function demux(buf: Buffer): string {
  if (!Buffer.isBuffer(buf)) return String(buf);
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString();
    i += 8 + size;
  }
  return i === 0 ? buf.toString() : out;
}
