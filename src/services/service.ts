import type { z } from 'zod';
import type { Output } from '../ui/output.js';
import type { Role, RoleClients } from './roles.js';

/** A service's published address on a compose stack, and the lab's generated settings and credentials. */
export interface ComposeAddress {
  host: string;
  /** The host port that maps the module's `containerPort`. */
  port: number;
  /** A generated credential or setting (LAB_POSTGRES_PASSWORD…); empty when the stack has none. */
  variable(name: string): string;
  /** The compose service's own `environment:` (e.g. POSTGRES_DB). */
  environment: Record<string, string>;
  /** Where another container port of the service is published on the host, if it is. */
  published(containerPort: number): { host: string; port: number } | undefined;
}

/** A learner's corner of a shared cluster: a Postgres schema, an object prefix, a topic prefix. */
export interface NamespaceNames {
  schema: string;
  s3Prefix: string;
  topicPrefix: string;
}

/** How to reach the service when someone else runs it (the remote runtime). */
export interface RemoteEndpoint<R extends Role, C, S> {
  /** Its section under `remote:` in lab.config.yaml. */
  readonly key: string;
  /** The section's fields (strict: credentials have no field, they come from the environment). */
  readonly schema: z.ZodType<S>;
  /** LAB_REMOTE_* variables that say where it is (they may also be in the file)… */
  readonly location: string[];
  /** …and those that hold its secrets (environment only, never written anywhere). */
  readonly secrets: string[];
  /** The section as the LAB_REMOTE_* variables give it, over the file's; undefined when neither says anything. */
  fromEnv(env: NodeJS.ProcessEnv, fromFile: S | undefined): S | undefined;
  /** URLs in the section that must not carry a password, with the variable to use instead. */
  urls?(section: S): Array<{ url: string; secret: string }>;
  /** Its connection; `names` is the learner's corner of the cluster, for services that keep to one. */
  connect(section: S, env: NodeJS.ProcessEnv, names: NamespaceNames): C;
  /** Removes the learner's namespace, and only it; returns what it removed, for people. */
  clean?(client: RoleClients[R], names: NamespaceNames): Promise<string[]>;
}

/** Where a local process keeps its files, and what it may print while it gets ready. */
export interface LocalProcessContext {
  /** The service's own folder under the lab's local state: its data, config and log. */
  dir: string;
  /** Downloads shared by every lab and home (jars from Maven Central), fetched once. */
  cacheDir: string;
  port: number;
  output: Output;
  /** The lab venv's interpreter, for a service that runs from it (Prefect's server); absent when the lab has none. */
  venvPython?: () => Promise<string | undefined>;
}

export interface LocalCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** How the local runtime runs a service as a process on this machine, without containers. */
export interface LocalProcess<C> {
  /** The port it listens on at 127.0.0.1 unless LAB_LOCAL_<NAME>_PORT says otherwise. */
  readonly port: number;
  /** How long a start may take before it is reported as failed. */
  readonly readyWithinMs: number;
  /** Checks the machine can run it (one line when not) and fetches what it needs, once. */
  prepare(ctx: LocalProcessContext): Promise<void>;
  /** The command that runs it in the foreground until it is signalled. */
  command(ctx: LocalProcessContext): LocalCommand | Promise<LocalCommand>;
  connection(port: number): C;
}

/**
 * Everything about one service in one place: the role it plays, the port it listens on, how a
 * compose stack and a remote endpoint give its connection details, its protocol-level readiness
 * probe, the local image recipes that stand in for its upstream images, and its started client.
 * compose-stack, the remote runtime, the config loader and `lab images build` iterate the registry.
 */
export interface ServiceModule<R extends Role = Role, C = unknown, S = unknown> {
  readonly name: string;
  readonly role: R;
  /** The port the runner talks to, inside the service's container. */
  readonly containerPort: number;
  /** Upstream image → the recipe folder under compose/images/ that builds a stand-in from package registries. */
  readonly localImages?: Readonly<Record<string, string>>;
  fromCompose(at: ComposeAddress): C;
  /** How the local runtime runs it (Kafka from Maven Central jars on the JDK, redis-server from Debian). */
  readonly local?: LocalProcess<C>;
  readonly remote?: RemoteEndpoint<R, C, S>;
  /** Ready when the service answers its own protocol (SELECT 1, PING, a metadata request), not an engine flag. */
  probe(connection: C): Promise<void>;
  /** Where it is, safe to print: never a secret. */
  where(connection: C): string;
  /** More for `lab status` once it answers (a broker's topics and its consumer groups' lag), starting with " · ". */
  describe?(connection: C): Promise<string>;
  /** The client factory: only a started service hands out clients. */
  start(connection: C): RoleClients[R];
}

export function defineService<R extends Role, C, S = never>(module: ServiceModule<R, C, S>): ServiceModule<R, C, S> {
  return module;
}
