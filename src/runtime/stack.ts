import { LabError } from '../errors.js';
import type { RuntimeName } from '../lab/define.js';
import type { LoadedLab } from '../lab/load.js';
import type { Role, RoleClients } from '../services/roles.js';
import { duckdbModelEngine } from './models/duckdb.js';
import type { ModelEngine } from './models/engine.js';
import type { Dataset, StartedStack } from './runtime.js';

/** Engines the labs know besides DuckDB, and where each runs: for the "not on this runtime" line. */
const OTHER_ENGINES: Record<string, { label: string; runsOn: string }> = {
  trino: { label: 'Trino', runsOn: 'the lakehouse stack' },
};

/** What a runtime runs for a lab: the roles it serves, how to connect to each, and the model engines on it. */
export interface StackServices {
  /** Roles with a service on this stack, known without connecting to any. */
  provides: readonly Role[];
  /** Connects to the service of a role in `provides` (called once per role, on first use). */
  connect<R extends Role>(role: R): Promise<RoleClients[R]>;
  /** Model engines besides DuckDB, by name. */
  engines?: Record<string, (stack: StartedStack) => Promise<ModelEngine>>;
}

/** A started stack on any runtime: clients per role, created on first use, so a command that needs none waits on none. */
export class LabStack implements StartedStack {
  private readonly clients = new Map<Role, Promise<unknown>>();
  private readonly engines = new Map<string, Promise<ModelEngine>>();

  constructor(
    readonly runtime: RuntimeName,
    readonly lab: LoadedLab,
    readonly datasets: Dataset[],
    private readonly services: StackServices,
  ) {}

  has(role: Role): boolean {
    return this.lab.def.roles.includes(role) && this.services.provides.includes(role);
  }

  async service<R extends Role>(role: R): Promise<RoleClients[R]> {
    const lab = this.lab.name;
    if (!this.lab.def.roles.includes(role)) {
      throw new LabError(`${lab} does not ask for a ${role} service.`, `Its roles are ${this.lab.def.roles.join(', ')} (labs/${lab}/lab.ts).`);
    }
    if (!this.services.provides.includes(role)) {
      throw new LabError(`${lab} has no ${role} service on the ${this.runtime} runtime.`, `Here it runs ${this.services.provides.join(', ') || 'no service'}; \`lab up ${lab} --runtime docker\` runs its whole stack.`);
    }
    let client = this.clients.get(role);
    if (!client) {
      client = this.services.connect(role);
      this.clients.set(role, client);
      client.catch(() => this.clients.delete(role));
    }
    return client as Promise<RoleClients[R]>;
  }

  async modelEngine(name = 'duckdb'): Promise<ModelEngine> {
    const key = name.toLowerCase();
    if (key === 'duckdb') return duckdbModelEngine;
    const factory = this.services.engines?.[key];
    if (!factory) {
      const known = OTHER_ENGINES[key];
      if (!known) throw new LabError(`Unknown engine '${name}'.`, `The one there is: --engine trino (month4 on the docker runtime).`);
      throw new LabError(`${this.lab.name} has no ${known.label} on this runtime: --engine ${key} grades on ${known.runsOn}.`, `Run \`lab up ${this.lab.name} --runtime docker\` first (month4), or leave out --engine.`);
    }
    let engine = this.engines.get(key);
    if (!engine) {
      engine = factory(this);
      this.engines.set(key, engine);
      engine.catch(() => this.engines.delete(key));
    }
    return engine;
  }
}
