import path from 'node:path';
import { LabError } from '../../errors.js';
import type { LoadedLab } from '../../lab/load.js';
import type { Scale } from '../../lab/scale.js';
import type { LabPaths } from '../../paths.js';
import { SERVICES } from '../../services/registry.js';
import type { Role, RoleClients } from '../../services/roles.js';
import type { Output } from '../../ui/output.js';
import { DatasetStore } from '../dataset-store.js';
import { attachLabData, labDataReports, onThisMachine, OWN_STACK_NAMESPACE, seedLabData, seedStepsFor, withServices } from '../lab-data.js';
import { startLabPython } from '../lab-python.js';
import type { StartedPythonVenv } from '../../services/python/python.js';
import { type Dataset, type Runtime, type ServiceReport, type StartedStack, type UpOptions } from '../runtime.js';
import { LabStack, type StackServices } from '../stack.js';
import { freePort, localPort, logFile, portVariable, runningProcess, startLocalService, stopLocalService, type LocalService } from './processes.js';

/** Real engines in-process (DuckDB), as local processes (a Python venv, a Kafka broker on the JDK, redis-server); no containers. */
export class LocalRuntime implements Runtime {
  readonly name = 'local' as const;

  constructor(private readonly paths: LabPaths) {}

  private store(lab: LoadedLab): DatasetStore {
    return new DatasetStore(path.join(this.paths.home, lab.name, 'local'));
  }

  /** The lab's roles that a service module can run as a local process. */
  private processes(lab: LoadedLab): LocalService[] {
    return SERVICES.filter((m) => m.local && lab.def.roles.includes(m.role)).map((module) => ({ module: module as LocalService['module'], dir: path.join(this.paths.home, lab.name, 'local', 'services', module.name) }));
  }

  /** Each local process's name and log file, for `lab logs`. */
  logFiles(lab: LoadedLab): Array<{ service: string; file: string }> {
    return this.processes(lab).map((p) => ({ service: p.module.name, file: logFile(p) }));
  }

  /** Moves every local service of the lab to a free port (a scratch home beside the learner's: `lab dev check`). */
  async useFreePorts(lab: LoadedLab): Promise<void> {
    for (const p of this.processes(lab)) process.env[portVariable(p)] = String(await freePort());
  }

  /** Downloads shared by every home (LAB_DOWNLOADS lets test runs share them). */
  private get downloads(): string {
    return process.env.LAB_DOWNLOADS ?? path.join(this.paths.home, 'downloads');
  }

  /** Clients of the local processes: connections come from their pid files, so only a running one hands one out. */
  private processServices(lab: LoadedLab, started?: Map<Role, unknown>): StackServices {
    const processes = this.processes(lab);
    return {
      provides: processes.map((p) => p.module.role),
      async connect<R extends Role>(role: R): Promise<RoleClients[R]> {
        const p = processes.find((x) => x.module.role === role)!;
        let connection = started?.get(role);
        if (!connection) {
          const running = runningProcess(p);
          if (!running) throw new LabError(`${lab.name}'s ${p.module.name} is not running.`, `\`lab up ${lab.name}\` starts it.`);
          connection = p.module.local.connection(running.port);
        }
        return p.module.start(connection) as RoleClients[R];
      },
    };
  }

  /** Starts the lab's processes in order; when one cannot start, those this call started are stopped again: nothing is left running. */
  private async startProcesses(lab: LoadedLab, output: Output, python: Promise<StartedPythonVenv | undefined>): Promise<Map<Role, unknown>> {
    const started = new Map<Role, unknown>();
    const startedHere: LocalService[] = [];
    try {
      for (const p of this.processes(lab)) {
        const wasRunning = !!runningProcess(p);
        started.set(p.module.role, await startLocalService(p, this.downloads, output, async () => (await python)?.python));
        if (!wasRunning) startedHere.push(p);
      }
    } catch (err) {
      for (const p of startedHere.reverse()) if (await stopLocalService(p)) output.info(`  · ${p.module.name} stopped again`);
      throw err;
    }
    return started;
  }

  async up(lab: LoadedLab, opts: UpOptions): Promise<StartedStack> {
    // The venv check runs while DuckDB seeds: one waits on Python imports, the other on cores.
    const python = startLabPython(this.paths, lab, opts.output);
    python.catch(() => undefined);
    const started = await this.startProcesses(lab, opts.output, python);
    const datasets: Dataset[] = [];
    const services = withServices(onThisMachine(this.paths, lab, datasets, python), this.processServices(lab, started));
    datasets.push(...(await seedLabData(this.store(lab), lab, { ...opts, services, steps: seedStepsFor(lab, services), namespace: OWN_STACK_NAMESPACE })));
    await python;
    return new LabStack(this.name, lab, datasets, services);
  }

  async attach(lab: LoadedLab, opts: { seed: number; scale: Scale }): Promise<StartedStack> {
    const datasets = await attachLabData(lab, this.store(lab), opts);
    return new LabStack(this.name, lab, datasets, withServices(onThisMachine(this.paths, lab, datasets), this.processServices(lab)));
  }

  async down(lab: LoadedLab, opts: { purge?: boolean; volumes?: boolean; output?: Output }): Promise<void> {
    for (const p of this.processes(lab)) if (await stopLocalService(p)) opts.output?.info(`  ✓ ${p.module.name} stopped`);
    // Purge frees the disk: the datasets, and the services' data (the broker's log).
    if (opts.purge || opts.volumes) this.store(lab).remove();
  }

  async status(lab: LoadedLab): Promise<ServiceReport[]> {
    const reports = labDataReports(this.paths, lab, this.store(lab));
    for (const p of this.processes(lab)) {
      const running = runningProcess(p);
      let state: ServiceReport['state'] = 'stopped';
      let detail = `not running (would listen on 127.0.0.1:${localPort(p)}) · log ${logFile(p)}`;
      if (running) {
        const connection = p.module.local.connection(running.port);
        try {
          await p.module.probe(connection);
          state = 'ready';
          detail = `${p.module.where(connection)} · pid ${running.pid}${(await p.module.describe?.(connection)) ?? ''}`;
        } catch (err) {
          detail = `pid ${running.pid} does not answer: ${(err as Error).message}`;
        }
      }
      reports.push({ service: p.module.name, role: p.module.role, state, detail });
    }
    return reports;
  }
}
