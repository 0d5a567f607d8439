import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { LabError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../paths.js';

export const COMPOSE_DIR = path.join(PACKAGE_ROOT, 'compose');
/** Labels the runner reads back from the engine: which lab a container or volume belongs to, and its data layout version. */
export const LAB_LABEL = 'io.lakehouse-lab.lab';
export const ROLE_LABEL = 'io.lakehouse-lab.role';
export const VERSION_LABEL = 'io.lakehouse-lab.version';
/** Labels compose itself puts on what it creates. */
export const PROJECT_LABEL = 'com.docker.compose.project';
export const SERVICE_LABEL = 'com.docker.compose.service';

export interface PublishedPort {
  service: string;
  hostIp: string;
  hostPort: number;
  containerPort: number;
  /** The environment variable that moves this port, e.g. LAB_POSTGRES_PORT. */
  variable?: string;
}

export interface ComposeService {
  name: string;
  image: string;
  role?: string;
  memLimitBytes?: number;
  healthcheck: boolean;
  ports: PublishedPort[];
}

export interface ComposeStackFile {
  lab: string;
  file: string;
  /** One compose project per lab. */
  project: string;
  raw: Record<string, unknown>;
  services: ComposeService[];
  /** Named volumes and the data layout version their labels carry. */
  volumes: Array<{ name: string; version?: string }>;
}

export function composeFilePath(lab: string): string {
  return path.join(COMPOSE_DIR, `${lab}.yaml`);
}

export function composeLabs(): string[] {
  if (!fs.existsSync(COMPOSE_DIR)) return [];
  return fs.readdirSync(COMPOSE_DIR).filter((f) => /^month\d+\.yaml$/.test(f)).map((f) => f.replace(/\.yaml$/, '')).sort();
}

/** Compose-style interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, and $$ for a literal $. */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name?: string, op?: string, arg?: string) => {
    if (match === '$$') return '$';
    const value = env[name!];
    const empty = value === undefined || (op?.startsWith(':') && value === '');
    if (!op) return value ?? '';
    if (op.endsWith('-')) return empty ? arg! : value!;
    if (empty) throw new LabError(`${name} is not set: ${arg}`, 'Start stacks through `lab up <lab> --runtime docker`, which provides it.');
    return value!;
  });
}

/** The variable a `${VAR:-default}` port expression reads, for "set LAB_POSTGRES_PORT to move it". */
function portVariable(spec: string): string | undefined {
  const parts = [...spec.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/g)].map((m) => m[1]!);
  return parts.filter((v) => !/BIND_ADDRESS/.test(v)).at(-1);
}

function parsePort(service: string, spec: unknown, env: Record<string, string | undefined>): PublishedPort | undefined {
  if (typeof spec !== 'string') return undefined;
  const value = interpolate(spec, env).replace(/\/(tcp|udp)$/, '');
  const parts = value.split(':');
  if (parts.length < 2) return undefined; // container-only port: nothing published on the host
  const containerPort = Number(parts.at(-1));
  const hostPort = Number(parts.at(-2));
  const hostIp = parts.length > 2 ? parts.slice(0, -2).join(':') : '0.0.0.0';
  return { service, hostIp, hostPort, containerPort, variable: portVariable(spec) };
}

const UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** Compose byte values: 512m, 1g, 1536mb, or a plain number of bytes. */
export function parseBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  if (!m) return undefined;
  const unit = UNITS[(m[2] || 'b').toLowerCase()];
  return unit ? Math.round(Number(m[1]) * unit) : undefined;
}

export function loadComposeFile(lab: string, env: Record<string, string | undefined> = {}): ComposeStackFile {
  const file = composeFilePath(lab);
  if (!fs.existsSync(file)) {
    throw new LabError(`${lab} has no compose file (${path.relative(process.cwd(), file)}).`, `Run it on the local runtime: \`lab up ${lab} --runtime local\`.`);
  }
  const raw = parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const servicesRaw = (raw.services ?? {}) as Record<string, Record<string, unknown>>;
  const services: ComposeService[] = Object.entries(servicesRaw).map(([name, svc]) => {
    const labels = (svc.labels ?? {}) as Record<string, string>;
    const limits = ((svc.deploy as { resources?: { limits?: { memory?: string } } } | undefined)?.resources?.limits?.memory) ?? svc.mem_limit;
    return {
      name,
      image: String(svc.image ?? ''),
      role: labels[ROLE_LABEL],
      memLimitBytes: parseBytes(limits),
      healthcheck: Boolean(svc.healthcheck) && !(svc.healthcheck as { disable?: boolean }).disable,
      ports: ((svc.ports ?? []) as unknown[]).map((p) => parsePort(name, p, env)).filter((p): p is PublishedPort => Boolean(p)),
    };
  });
  const volumes = Object.entries((raw.volumes ?? {}) as Record<string, { labels?: Record<string, string> } | null>).map(([name, v]) => ({
    name,
    version: v?.labels?.[VERSION_LABEL],
  }));
  return { lab, file, project: `lab-${lab}`, raw, services, volumes };
}

export function totalMemoryBytes(stack: ComposeStackFile): number {
  return stack.services.reduce((sum, s) => sum + (s.memLimitBytes ?? 0), 0);
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(bytes % 1024 ** 3 ? 1 : 0)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
}
