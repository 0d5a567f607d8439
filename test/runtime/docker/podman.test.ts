import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadLab } from '../../../src/lab/load.js';
import { PROJECT_LABEL } from '../../../src/runtime/docker/compose-file.js';
import { ComposeStack } from '../../../src/runtime/docker/compose-stack.js';
import { cleanNamespace } from '../../../src/runtime/remote/remote-runtime.js';
import { loadRemoteConfig } from '../../../src/runtime/remote/config.js';
import { consoleOutput } from '../../../src/ui/output.js';
import { bronzeViews } from '../../../datasets/lakehouse/bronze.js';
import { SqlSession } from '../../../src/services/duckdb.js';
import { StartedPostgres } from '../../../src/services/postgres.js';
import { probeS3Store, StartedS3 } from '../../../src/services/s3.js';
import { createServedTopics } from '../../../src/services/kafka.js';
import { createTableAs, StartedTrino } from '../../../src/services/trino.js';
import { orderModels, parseModel } from '../../../src/lab/models.js';
import { lab, scratchDir } from '../../helpers.js';
import { podmanUnavailable, startPodman, type PodmanEngine } from '../../support/podman.js';

// These tests need a container engine; Podman from Debian's packages serves one here (DESIGN.md).
const unavailable = podmanUnavailable();
if (unavailable) console.warn(`\n[skipped] docker runtime tests on Podman: ${unavailable}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** What the engine still holds for a compose project: must be nothing after `down --volumes`. */
async function leftovers(docker: Docker, project: string): Promise<string[]> {
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  const [containers, volumes, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listVolumes({ filters }), docker.listNetworks({ filters })]);
  return [
    ...containers.map((c) => `container ${c.Names.join(',')}`),
    ...(volumes.Volumes ?? []).map((v) => `volume ${v.Name}`),
    ...networks.filter((n) => n.Name.startsWith(project)).map((n) => `network ${n.Name}`),
  ];
}

/** Clears what a failed test left, so one failure does not cascade into the next test's pre-flight. */
async function removeProject(docker: Docker, project: string): Promise<void> {
  const filters = { label: [`${PROJECT_LABEL}=${project}`] };
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true });
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
}

describe.skipIf(Boolean(unavailable))('docker runtime on a real Podman engine', () => {
  let engine: PodmanEngine;
  let docker: Docker;
  let env: Record<string, string>;

  beforeAll(async () => {
    engine = await startPodman();
    docker = new Docker({ socketPath: engine.socket });
    env = { ...engine.env, LAB_LOCAL_IMAGES: '1' };
  }, 60_000);

  afterEach(async () => {
    if (docker) for (const project of ['lab-month1', 'lab-month2', 'lab-month3', 'lab-month4', 'lab-month5', 'lab-month6']) await removeProject(docker, project);
  }, 60_000);

  afterAll(async () => {
    await engine?.stop();
  }, 30_000);

  it('builds the local images from package registries once, then reuses them', async () => {
    const cwd = scratchDir('images');
    for (const name of ['month1', 'month5']) {
      const r = await lab(['images', 'build', name], { cwd, env, timeoutMs: 900_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`local images? for ${name} ready`));
    }
    const again = await lab(['images', 'build', 'month5'], { cwd, env });
    expect(again.stderr).toMatch(/kafka: localhost\/lakehouse-lab\/kafka:\w+ \(already built\)/);
    expect(again.stderr).toMatch(/redis: .* \(already built\)/);
  }, 1_200_000);

  it('month1: up → seed through Postgres → reference solutions pass → reset → down leaves nothing', async () => {
    const cwd = scratchDir('docker-month1');
    const month1 = await loadLab('month1');
    const ports = { LAB_POSTGRES_PORT: String(await freePort()) };
    const up = await lab(['up', 'month1', '--runtime', 'docker'], { cwd, env: { ...env, ...ports } });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/month1 is up on the docker runtime/);
    expect(up.stderr).toMatch(/postgres ready/);
    expect(up.stderr).toMatch(/compose: /);

    // Credentials: generated per lab, readable by the user only, never printed.
    const credentials = path.join(cwd, '.lab', 'month1', 'docker', 'credentials.env');
    expect(fs.statSync(credentials).mode & 0o777).toBe(0o600);
    const password = /LAB_POSTGRES_PASSWORD=(\S+)/.exec(fs.readFileSync(credentials, 'utf8'))![1]!;
    expect(up.stdout + up.stderr).not.toContain(password);

    const status = await lab(['status', 'month1'], { cwd, env });
    expect(status.stdout).toMatch(new RegExp(`postgres\\s+oltp\\s+ready\\s+running · 127\\.0\\.0\\.1:${ports.LAB_POSTGRES_PORT}->5432 · \\d+ MiB`));

    const templates = await lab(['check', 'month1', '--json'], { cwd, env });
    expect(JSON.parse(templates.stdout)).toMatchObject({ runtime: 'docker', score: 0, max: month1.exercises.length });
    for (const ex of month1.exercises) expect((await lab(['solution', 'month1', ex.id, '--apply'], { cwd, env })).code).toBe(0);
    const solved = await lab(['check', 'month1', '--json'], { cwd, env });
    expect(JSON.parse(solved.stdout)).toMatchObject({ runtime: 'docker', score: month1.exercises.length });

    // lab compare uses the stack's Postgres while month1 is up on containers, in schemas of its own.
    const compare = await lab(['compare', 'n-plus-one', '--scales', '200', '--json'], { cwd, env });
    expect(compare.code, compare.stderr).toBe(0);
    expect(JSON.parse(compare.stdout).pairs[0]).toMatchObject({ sameAnswer: true, engines: { postgres: expect.stringMatching(/^PostgreSQL \d+\.\d+, month1's docker stack/) } });

    const logs = await lab(['logs', 'month1', 'postgres', '--tail', '5'], { cwd, env });
    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/database system is ready to accept connections/);

    const mine = path.join(cwd, 'workspace', 'month1', month1.exercises[0]!.id, month1.exercises[0]!.def.file);
    fs.appendFileSync(mine, '\n-- my note\n');
    const reset = await lab(['reset', 'month1'], { cwd, env: { ...env, ...ports } });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stderr).toMatch(/Removing volume lab-month1_postgres-data/);
    expect(fs.readFileSync(mine, 'utf8')).toMatch(/-- my note/);
    const after = await lab(['check', 'month1', '--json'], { cwd, env });
    expect(JSON.parse(after.stdout).score).toBe(month1.exercises.length);

    const down = await lab(['down', 'month1', '--volumes'], { cwd, env });
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(docker, 'lab-month1')).toEqual([]);
    expect(fs.existsSync(mine)).toBe(true);
  }, 600_000);

  it('month3: dbt builds the shop on the stack\'s Postgres, the tables go through its Iceberg REST catalog and MinIO — every reference passes there, DuckDB\'s dialect is named at its line, lab run builds into the warehouse, grading leaves no database, table or file behind', async () => {
    const cwd = scratchDir('docker-month3');
    const month3 = await loadLab('month3');
    // Postgres's image is month1's; MinIO's and the REST catalog's are built here, and month4 reuses them.
    const build = await lab(['images', 'build', 'month3'], { cwd, env, timeoutMs: 1_200_000 });
    expect(build.code, build.stderr).toBe(0);
    const ports: Record<string, string> = {};
    for (const name of ['LAB_POSTGRES_PORT', 'LAB_S3_PORT', 'LAB_S3_CONSOLE_PORT', 'LAB_ICEBERG_REST_PORT']) ports[name] = String(await freePort());
    const up = await lab(['up', 'month3', '--runtime', 'docker'], { cwd, env: { ...env, ...ports }, timeoutMs: 900_000 });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/month3 is up on the docker runtime/);
    for (const service of ['postgres', 'minio', 'iceberg-rest']) expect(up.stderr).toMatch(new RegExp(`${service} ready`));
    const credentials = fs.readFileSync(path.join(cwd, '.lab', 'month3', 'docker', 'credentials.env'), 'utf8');
    const secret = (name: string) => new RegExp(`${name}=(\\S+)`).exec(credentials)![1]!;
    const postgres = new StartedPostgres({ host: '127.0.0.1', port: Number(ports.LAB_POSTGRES_PORT), user: 'lab', password: secret('LAB_POSTGRES_PASSWORD'), database: 'warehouse' });
    const databases = () => postgres.withClient(async (c) => (await c.query("SELECT datname FROM pg_database WHERE datname LIKE 'lab_dbt_%'")).rows.map((r) => String(r.datname)));
    const s3 = new StartedS3({ endPoint: '127.0.0.1', port: Number(ports.LAB_S3_PORT), accessKey: secret('LAB_S3_ACCESS_KEY'), secretKey: secret('LAB_S3_SECRET_KEY') });
    // What grading leaves in the stack: nothing (each run's database, namespace and files go once they were read).
    const leftBehind = async () => ({
      databases: await databases(),
      namespaces: ((await (await fetch(`http://127.0.0.1:${ports.LAB_ICEBERG_REST_PORT}/v1/namespaces`)).json()) as { namespaces: string[][] }).namespaces,
      icebergFiles: await s3.listKeys('warehouse', ''),
      deltaFiles: await s3.listKeys('tables', ''),
    });
    const clean = { databases: [], namespaces: [], icebergFiles: [], deltaFiles: [] };

    // Every reference passes on Postgres: the dbt exercises built there, the table formats in the venv.
    for (const ex of month3.exercises) expect((await lab(['solution', 'month3', ex.id, '--apply'], { cwd, env })).code).toBe(0);
    const solved = await lab(['check', 'month3', '--json'], { cwd, env, timeoutMs: 900_000 });
    expect(JSON.parse(solved.stdout), solved.stderr).toMatchObject({ runtime: 'docker', score: month3.exercises.length, max: month3.exercises.length });
    expect(await leftBehind()).toEqual(clean);

    // The tables are the stack's: an Iceberg table of the REST catalog in MinIO, a Delta table in MinIO; a plausible mistake fails there.
    const overwrite = path.join(cwd, 'workspace', 'month3', '07-iceberg-overwrite-one-day', 'solution.py');
    fs.writeFileSync(overwrite, 'from pyiceberg.transforms import DayTransform\n\n\ndef solve(catalog, sales, sales_restated):\n    table = catalog.create_table("shop.sales", schema=sales.schema)\n    with table.update_spec() as spec:\n        spec.add_field("sold_at", DayTransform(), "sold_at_day")\n    table.append(sales)\n    table.append(sales_restated)\n    print(type(catalog).__name__, table.location())\n');
    const appended = await lab(['check', 'month3', '07'], { cwd, env, timeoutMs: 300_000 });
    expect(appended.code).toBe(1);
    expect(appended.stdout).toMatch(/✗ same rows as the reference/);
    expect(appended.stdout).toMatch(/│ RestCatalog s3:\/\/warehouse\/shop\/sales/);
    const merge = path.join(cwd, 'workspace', 'month3', '09-delta-merge-restated-day', 'solution.py');
    fs.writeFileSync(merge, 'from deltalake import write_deltalake\n\n\ndef solve(table_uri, sales_restated):\n    write_deltalake(table_uri, sales_restated, mode="append")\n    print(table_uri)\n');
    const delta = await lab(['check', 'month3', '09'], { cwd, env, timeoutMs: 300_000 });
    expect(delta.code).toBe(1);
    expect(delta.stdout).toMatch(/✗ the Delta log shows MERGE/);
    expect(delta.stdout).toMatch(/│ s3:\/\/tables\/grading-\d+\/[0-9a-f]{16}/);
    expect(await leftBehind()).toEqual(clean);

    // DuckDB's `qualify` is not Postgres: the learner's file and line, in Postgres's words.
    const staging = path.join(cwd, 'workspace', 'month3', '01-dbt-staging-customers', 'stg_customers.sql');
    fs.writeFileSync(staging, "select customer_id, lower(trim(email)) as email, full_name, upper(trim(country)) as country, segment, updated_at\nfrom {{ source('shop', 'customers') }}\nqualify row_number() over (partition by customer_id order by updated_at desc) = 1\n");
    const dialect = await lab(['check', 'month3', '01'], { cwd, env, timeoutMs: 300_000 });
    expect(dialect.code).toBe(1);
    expect(dialect.stdout).toMatch(/month3\/01-dbt-staging-customers\/stg_customers\.sql:3: syntax error at or near "row_number" \(Postgres has no QUALIFY/);
    // A plausible mistake on the right dialect fails its check: the oldest version kept.
    fs.copyFileSync(path.join(month3.exercises[0]!.dir, 'solution', 'stg_customers.sql'), staging);
    fs.writeFileSync(staging, fs.readFileSync(staging, 'utf8').replace('order by updated_at desc', 'order by updated_at'));
    const oldest = await lab(['check', 'month3', '01', '--json'], { cwd, env, timeoutMs: 300_000 });
    expect(oldest.code).toBe(1);
    const oldestChecks = JSON.parse(oldest.stdout).exercises[0].checks as Array<{ status: string; message: string }>;
    expect(oldestChecks.filter((c) => c.status === 'fail').length, oldest.stdout).toBeGreaterThan(0);
    expect(await leftBehind()).toEqual(clean);

    // By hand: the project builds in the stack's `warehouse` database, where psql would look.
    fs.copyFileSync(path.join(month3.exercises[0]!.dir, 'solution', 'stg_customers.sql'), staging);
    const run = await lab(['run', 'month3'], { cwd, env, timeoutMs: 300_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ model +fct_order_lines/);
    expect(run.stdout).toMatch(new RegExp(`the warehouse: database postgres://lab@127\\.0\\.0\\.1:${ports.LAB_POSTGRES_PORT}/warehouse`));
    const counts = await postgres.withClient(async (c) => (await c.query('SELECT (SELECT count(*) FROM marts.fct_order_lines) AS facts, (SELECT count(*) FROM raw.order_lines) AS lines')).rows[0] as { facts: string; lines: string });
    expect(Number(counts.facts)).toBe(Number(counts.lines));
    const again = await lab(['run', 'month3', '--load', '2'], { cwd, env, timeoutMs: 300_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(Number(await postgres.withClient(async (c) => (await c.query('SELECT count(*) AS n FROM snapshots.customers_snapshot WHERE dbt_valid_to IS NOT NULL')).rows[0].n))).toBeGreaterThan(0);

    const down = await lab(['down', 'month3', '--volumes'], { cwd, env });
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(docker, 'lab-month3')).toEqual([]);
  }, 1_800_000);

  it('pre-flight: a taken port names the port, the service, and how to move it', async () => {
    const cwd = scratchDir('docker-port');
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    try {
      const r = await lab(['up', 'month1', '--runtime', 'docker'], { cwd, env: { ...env, LAB_POSTGRES_PORT: String(port) } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`error: Port ${port} on 127\\.0\\.0\\.1, wanted by postgres, is already in use\\.`));
      expect(r.stderr).toMatch(new RegExp(`LAB_POSTGRES_PORT=${port + 1} lab up month1 --runtime docker`));
      expect(await leftovers(docker, 'lab-month1')).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 120_000);

  it('pre-flight: a volume left by an older version of the lab is found before anything starts', async () => {
    const cwd = scratchDir('docker-stale');
    await docker.createVolume({ Name: 'lab-month1_postgres-data', Labels: { [PROJECT_LABEL]: 'lab-month1', 'io.lakehouse-lab.lab': 'month1', 'io.lakehouse-lab.version': '0' } });
    try {
      const r = await lab(['up', 'month1', '--runtime', 'docker'], { cwd, env: { ...env, LAB_POSTGRES_PORT: String(await freePort()) } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error: Volume lab-month1_postgres-data was created by an older version of month1 \(data version 0, this version uses 1\)\./);
      expect(r.stderr).toMatch(/hint: +Reset it: `lab down month1 --volumes`/);
    } finally {
      await docker.getVolume('lab-month1_postgres-data').remove();
    }
    expect(await leftovers(docker, 'lab-month1')).toEqual([]);
  }, 120_000);

  it('a service that never becomes ready is named, with its last log lines', async () => {
    const lines: string[] = [];
    const output = { ...consoleOutput({ quiet: true }), info: (l: string) => lines.push(l) };
    const stackEnv = { ...process.env, ...env, LAB_KAFKA_PORT: String(await freePort()), LAB_REDIS_PORT: String(await freePort()) };
    const stack = new ComposeStack('month5', { dir: path.join(scratchDir('docker-slow'), 'docker'), localImages: true, readyTimeoutMs: 1, env: stackEnv });
    try {
      await expect(stack.start(output)).rejects.toThrow(/(kafka|redis) did not become ready within 1 ms/);
      expect(lines.join('\n')).toMatch(/last lines of (kafka|redis):/);
    } finally {
      await stack.stop(consoleOutput({ quiet: true }), { volumes: true });
    }
    expect(await leftovers(docker, 'lab-month5')).toEqual([]);
  }, 300_000);

  it('remote runtime: two learners seed their own schemas in one shared Postgres; reset and down touch only their own', async () => {
    // The "shared cluster": a Postgres someone else runs — here month1's container, started through the stack API.
    const quiet = consoleOutput({ quiet: true });
    const stackEnv = { ...process.env, ...env, LAB_POSTGRES_PORT: String(await freePort()) };
    const shared = new ComposeStack('month1', { dir: path.join(scratchDir('shared-pg'), 'docker'), localImages: true, env: stackEnv });
    const pg = await shared.start(quiet);
    try {
      const conn = pg.client('oltp').connection;
      const count = (sql: string) => pg.client('oltp').withClient(async (c) => Number((await c.query(sql)).rows[0].n));
      await pg.client('oltp').withClient((c) => c.query('CREATE TABLE public.team_orders (id int); INSERT INTO public.team_orders VALUES (1), (2)'));
      const remote = (ns: string) => ({ LAB_REMOTE_POSTGRES_URL: `postgres://${conn.user}@${conn.host}:${conn.port}/${conn.database}`, LAB_REMOTE_POSTGRES_PASSWORD: conn.password, LAB_REMOTE_NAMESPACE: ns });
      const alice = scratchDir('remote-alice');
      const bob = scratchDir('remote-bob');

      const up = await lab(['up', 'month1', '--runtime', 'remote'], { cwd: alice, env: remote('alice') });
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout).toMatch(/month1 is up on the remote runtime/);
      expect(up.stderr).toMatch(/namespace alice \(schema lab_alice_month1/);
      expect(up.stderr).toMatch(/postgres at lab@127\.0\.0\.1:\d+\/shop · ready/);
      expect((await lab(['up', 'month1', '--runtime', 'remote'], { cwd: bob, env: remote('bob') })).code).toBe(0);
      const aliceOrders = await count('SELECT count(*) AS n FROM lab_alice_month1.orders');
      expect(aliceOrders).toBeGreaterThan(0);
      expect(await count('SELECT count(*) AS n FROM lab_bob_month1.orders')).toBe(aliceOrders);

      // Grading works the same on the remote runtime.
      const ex = (await loadLab('month1')).exercises[0]!;
      await lab(['solution', 'month1', ex.id, '--apply'], { cwd: alice, env: remote('alice') });
      const check = await lab(['check', 'month1', ex.id, '--json'], { cwd: alice, env: remote('alice') });
      expect(JSON.parse(check.stdout)).toMatchObject({ runtime: 'remote', score: 1 });

      // Bob's data and the team's table survive Alice's reset and down.
      await pg.client('oltp').withClient((c) => c.query("INSERT INTO lab_bob_month1.categories VALUES (9999, NULL, 'bob was here')"));
      expect((await lab(['reset', 'month1'], { cwd: alice, env: remote('alice') })).code).toBe(0);
      expect(await count('SELECT count(*) AS n FROM lab_alice_month1.orders')).toBe(aliceOrders);
      const down = await lab(['down', 'month1'], { cwd: alice, env: remote('alice') });
      expect(down.code, down.stderr).toBe(0);
      expect(down.stderr).toMatch(/removed your namespace: postgres schema lab_alice_month1/);
      expect(await count("SELECT count(*) AS n FROM pg_namespace WHERE nspname = 'lab_alice_month1'")).toBe(0);
      expect(await count("SELECT count(*) AS n FROM lab_bob_month1.categories WHERE name = 'bob was here'")).toBe(1);
      expect(await count('SELECT count(*) AS n FROM public.team_orders')).toBe(2);

      // The password is never written under .lab nor printed.
      const written = (fs.readdirSync(path.join(alice, '.lab'), { recursive: true }) as string[]).map((f) => path.join(alice, '.lab', f)).filter((f) => fs.statSync(f).isFile() && fs.statSync(f).size < 1e6);
      for (const f of written) expect(fs.readFileSync(f, 'utf8'), f).not.toContain(conn.password);
      expect(up.stdout + up.stderr + down.stdout + down.stderr).not.toContain(conn.password);

      expect((await lab(['down', 'month1'], { cwd: bob, env: remote('bob') })).code).toBe(0);
      expect(await count("SELECT count(*) AS n FROM pg_namespace WHERE nspname LIKE 'lab\\_%'")).toBe(0);
    } finally {
      await shared.stop(quiet, { volumes: true });
    }
    expect(await leftovers(docker, 'lab-month1')).toEqual([]);
  }, 600_000);

  it('month5: Kafka and Redis come up, a message goes through Kafka, a value through Redis, and down leaves nothing', async () => {
    const dir = path.join(scratchDir('docker-month5'), '.lab', 'month5', 'docker');
    const output = consoleOutput({ quiet: true });
    const stackEnv = { ...process.env, ...env, LAB_KAFKA_PORT: String(await freePort()), LAB_REDIS_PORT: String(await freePort()) };
    const stack = new ComposeStack('month5', { dir, localImages: true, env: stackEnv });
    try {
      const started = await stack.start(output);
      const kafka = started.client('stream').client('podman-test');
      const admin = kafka.admin();
      await admin.connect();
      await createServedTopics(admin, [{ topic: 'payments', numPartitions: 1 }]);
      await admin.disconnect();
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'payments', messages: [{ key: 'card-42', value: JSON.stringify({ amount: 12.5 }) }] });
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: 'podman-test' });
      await consumer.connect();
      await consumer.subscribe({ topic: 'payments', fromBeginning: true });
      const received = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message within 60 s')), 60_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve(`${message.key?.toString()}=${message.value?.toString()}`);
          },
        });
      });
      await consumer.disconnect();
      expect(received).toBe('card-42={"amount":12.5}');

      const redis = await started.client('cache').client();
      await redis.hSet('features:card-42', { txn_count_1h: '3', avg_amount: '12.5' });
      expect(await redis.hGetAll('features:card-42')).toEqual({ txn_count_1h: '3', avg_amount: '12.5' });
      await redis.quit();

      // The password is required: a client without it is refused.
      const { createClient } = await import('redis');
      const anonymous = createClient({ socket: { ...started.hostPort(started.service('redis'), 6379), reconnectStrategy: false } });
      anonymous.on('error', () => undefined);
      await anonymous.connect();
      await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
      await anonymous.disconnect();

      // Remote runtime clean-up on a shared broker: only the learner's topic prefix goes.
      const brokers = started.client('stream').bootstrapServers;
      const nsAdmin = kafka.admin();
      await nsAdmin.connect();
      await createServedTopics(nsAdmin, ['alice.month5.payments', 'alice.month5.alerts', 'bob.month5.payments'].map((topic) => ({ topic, numPartitions: 1 })));
      const removed = await cleanNamespace(loadRemoteConfig(dir, { LAB_REMOTE_KAFKA_BROKERS: brokers, LAB_REMOTE_NAMESPACE: 'alice' }), 'month5');
      expect(removed).toEqual(['2 kafka topics alice.month5.*']);
      const topics = await nsAdmin.listTopics();
      expect(topics).toContain('bob.month5.payments');
      expect(topics).toContain('payments');
      expect(topics.filter((t) => t.startsWith('alice.'))).toEqual([]);
      await nsAdmin.disconnect();

      // A container killed like the kernel's OOM killer does (SIGKILL: exit 137) is reported with what to do.
      const [redisInfo] = await docker.listContainers({ filters: { label: [`${PROJECT_LABEL}=lab-month5`, 'com.docker.compose.service=redis'] } });
      await docker.getContainer(redisInfo!.Id).kill({ signal: 'SIGKILL' });
      await new Promise((r) => setTimeout(r, 1_000));
      const redisStatus = (await started.status()).find((x) => x.service === 'redis')!;
      expect(redisStatus).toMatchObject({ state: 'exited', exitCode: 137 });
      const killed = await started.exitedError('redis', 137, false, output);
      expect(killed.message).toMatch(/redis was killed \(exit 137\)/);
      expect(killed.hint).toMatch(/Give the engine more memory \(or raise redis's mem_limit in compose\/month5\.yaml\)/);
    } finally {
      await stack.stop(output, { volumes: true });
    }
    expect(await leftovers(docker, 'lab-month5')).toEqual([]);
  }, 600_000);

  it('month5: lab up --runtime docker, a detector graded against the containers\' Kafka and password-protected Redis, down leaves nothing', async () => {
    const cwd = scratchDir('docker-month5-check');
    const ports = { LAB_KAFKA_PORT: String(await freePort()), LAB_REDIS_PORT: String(await freePort()) };
    const up = await lab(['up', 'month5', '--runtime', 'docker'], { cwd, env: { ...env, ...ports } });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/month5 is up on the docker runtime/);
    fs.copyFileSync(path.resolve('labs/month5/exercises/01-velocity/solution/detector.ts'), path.join(cwd, 'workspace', 'month5', '01-velocity', 'detector.ts'));
    const check = await lab(['check', 'month5', '01', '--json'], { cwd, env });
    expect(JSON.parse(check.stdout), check.stderr).toMatchObject({ runtime: 'docker', score: 1 });
    const password = /LAB_REDIS_PASSWORD=(\S+)/.exec(fs.readFileSync(path.join(cwd, '.lab', 'month5', 'docker', 'credentials.env'), 'utf8'))![1]!;
    expect(up.stdout + up.stderr + check.stdout + check.stderr).not.toContain(password);
    const down = await lab(['down', 'month5', '--volumes'], { cwd, env });
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(docker, 'lab-month5')).toEqual([]);
  }, 600_000);

  it('month2: Prefect\'s server built from PyPI; a flow graded against it from the host (retries in its run history); the Spark exercises run on its Spark Connect server (plans from its UI, files through the mount); down leaves nothing', async () => {
    const cwd = scratchDir('docker-month2');
    const build = await lab(['images', 'build', 'month2'], { cwd, env, timeoutMs: 900_000 });
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/local images? for month2 ready/);
    const ports = { LAB_PREFECT_PORT: String(await freePort()), LAB_SPARK_CONNECT_PORT: String(await freePort()), LAB_SPARK_UI_PORT: String(await freePort()) };
    const up = await lab(['up', 'month2', '--runtime', 'docker'], { cwd, env: { ...env, ...ports }, timeoutMs: 900_000 });
    // The flows run on the host, from the lab venv, against the server's container.
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(up.stdout).toMatch(/month2 is up on the docker runtime/);
    const status = await lab(['status', 'month2'], { cwd, env });
    expect(status.stdout).toMatch(new RegExp(`prefect +orchestrator ready .*127\\.0\\.0\\.1:${ports.LAB_PREFECT_PORT}->4200`));
    expect(status.stdout).toMatch(new RegExp(`spark +spark +ready .*127\\.0\\.0\\.1:${ports.LAB_SPARK_CONNECT_PORT}->15002`));
    // The Spark exercises: the same files, as Spark Connect clients of the container. 08 is judged on
    // the plan the server executed (from its UI's REST API), 11 on the files it wrote into the mounted lab folder.
    for (const ex of ['08-spark-builtin-not-udf', '11-spark-partitioned-write']) {
      fs.copyFileSync(path.resolve(`labs/month2/exercises/${ex}/solution/solution.py`), path.join(cwd, 'workspace', 'month2', ex, 'solution.py'));
      const graded = await lab(['check', 'month2', ex.slice(0, 2), '--json'], { cwd, env, timeoutMs: 600_000 });
      const result = JSON.parse(graded.stdout) as { exercises: Array<{ id: string; passed: boolean; checks: unknown[] }> };
      expect(result.exercises[0], JSON.stringify(result.exercises[0]?.checks)).toMatchObject({ id: ex, passed: true });
    }
    const sessions = await fetch(`http://127.0.0.1:${ports.LAB_SPARK_UI_PORT}/api/v1/applications`).then((r) => r.json() as Promise<Array<{ id: string }>>);
    const executions = await fetch(`http://127.0.0.1:${ports.LAB_SPARK_UI_PORT}/api/v1/applications/${sessions[0]!.id}/sql?length=500`).then((r) => r.json() as Promise<unknown[]>);
    expect(executions.length).toBeGreaterThanOrEqual(4);
    // A wrong one fails there as it does locally: a Python UDF is in the server's plan.
    fs.copyFileSync(path.resolve('labs/month2/exercises/08-spark-builtin-not-udf/wrong/pandas-udf.py'), path.join(cwd, 'workspace', 'month2', '08-spark-builtin-not-udf', 'solution.py'));
    const udf = await lab(['check', 'month2', '08'], { cwd, env, timeoutMs: 600_000 });
    expect(udf.code).toBe(1);
    expect(udf.stdout).toMatch(/the executed plan runs Python code: `ArrowEvalPython/);
    // Exercise 02's checks read the retries from the container's run history.
    fs.copyFileSync(path.resolve('labs/month2/exercises/02-flow-retries/solution/flow.py'), path.join(cwd, 'workspace', 'month2', '02-flow-retries', 'flow.py'));
    const check = await lab(['check', 'month2', '02', '--json'], { cwd, env, timeoutMs: 600_000 });
    const report = JSON.parse(check.stdout) as { runtime: string; exercises: Array<{ id: string; passed: boolean; checks: unknown[] }> };
    expect(report.runtime).toBe('docker');
    expect(report.exercises[0], JSON.stringify(report.exercises[0]?.checks)).toMatchObject({ id: '02-flow-retries', passed: true });
    const down = await lab(['down', 'month2', '--volumes'], { cwd, env });
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(docker, 'lab-month2')).toEqual([]);
  }, 1_800_000);

  it('month6: Weaviate built with go install; the RAG references graded against it (filters, BM25, RRF, deletes); a stopped Weaviate is named, down leaves nothing', async () => {
    const cwd = scratchDir('docker-month6');
    // The first build compiles Weaviate (over 10 minutes on 2 cores); later ones reuse Go's cache.
    const build = await lab(['images', 'build', 'month6'], { cwd, env, timeoutMs: 2_400_000 });
    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/local images? for month6 ready/);
    const ports = { LAB_WEAVIATE_PORT: String(await freePort()), LAB_WEAVIATE_GRPC_PORT: String(await freePort()) };
    const up = await lab(['up', 'month6', '--runtime', 'docker'], { cwd, env: { ...env, ...ports }, timeoutMs: 900_000 });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/month6 is up on the docker runtime/);
    const [weaviate] = await docker.listContainers({ filters: { label: [`${PROJECT_LABEL}=lab-month6`, 'com.docker.compose.service=weaviate'] } });
    // gRPC listens on every interface inside the container: the engine publishes it on loopback only.
    expect(weaviate!.Ports.filter((p) => p.PublicPort).every((p) => p.IP === '127.0.0.1')).toBe(true);
    // The three references that use what only the store does (filters, BM25 and RRF, deletes), one
    // check each: the templates' failures are proven on the local runtime by `lab dev check`.
    let said = '';
    for (const ex of ['02-newest-policy', '03-hybrid-rrf', '07-reingest']) {
      fs.copyFileSync(path.resolve(`labs/month6/exercises/${ex}/solution/pipeline.py`), path.join(cwd, 'workspace', 'month6', ex, 'pipeline.py'));
      const check = await lab(['check', 'month6', ex, '--json'], { cwd, env, timeoutMs: 1_200_000 });
      expect(check.stdout, check.stderr).not.toBe('');
      const report = JSON.parse(check.stdout) as { runtime: string; exercises: Array<{ id: string; passed: boolean; checks: unknown[] }> };
      expect(report.runtime).toBe('docker');
      expect(report.exercises[0], JSON.stringify(report.exercises[0]?.checks)).toMatchObject({ id: ex, passed: true });
      said += check.stdout + check.stderr;
    }
    // Nothing of the grader's stays in Weaviate: each run's collection is dropped.
    const key = /LAB_WEAVIATE_API_KEY=(\S+)/.exec(fs.readFileSync(path.join(cwd, '.lab', 'month6', 'docker', 'credentials.env'), 'utf8'))![1]!;
    const schema = (await (await fetch(`http://127.0.0.1:${ports.LAB_WEAVIATE_PORT}/v1/schema`, { headers: { Authorization: `Bearer ${key}` } })).json()) as { classes: unknown[] };
    expect(schema.classes).toEqual([]);
    expect(up.stdout + up.stderr + said).not.toContain(key);
    await docker.getContainer(weaviate!.Id).stop();
    const stopped = await lab(['check', 'month6', '03', '--fresh'], { cwd, env });
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toMatch(/Weaviate .*(is not ready|not running|stopped)|weaviate/i);
    expect(stopped.stdout + stopped.stderr).not.toMatch(/pipeline\.py:\d+/);
    const down = await lab(['down', 'month6', '--volumes'], { cwd, env });
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(docker, 'lab-month6')).toEqual([]);
  }, 3_600_000);

  it('month4: the lakehouse from package registries — up lands bronze in MinIO and Iceberg, Trino queries it, the references pass, down leaves nothing', async () => {
    const cwd = scratchDir('docker-month4');
    const build = await lab(['images', 'build', 'month4'], { cwd, env, timeoutMs: 2_400_000 });
    expect(build.code, build.stderr).toBe(0);
    for (const [service, upstream] of [['minio', 'minio/minio:RELEASE'], ['iceberg-rest', 'tabulario/iceberg-rest:'], ['trino', 'trinodb/trino:476'], ['spark', 'apache/spark:3.5.5']]) {
      expect(build.stdout).toMatch(new RegExp(`${service}\\s+localhost/lakehouse-lab/${service}:\\w+\\s+\\(stands in for ${upstream!.replace(/[./]/g, '\\$&')}`));
    }

    const ports: Record<string, string> = {};
    for (const name of ['LAB_S3_PORT', 'LAB_S3_CONSOLE_PORT', 'LAB_ICEBERG_REST_PORT', 'LAB_TRINO_PORT', 'LAB_SPARK_CONNECT_PORT', 'LAB_SPARK_UI_PORT']) ports[name] = String(await freePort());
    const up = await lab(['up', 'month4', '--runtime', 'docker'], { cwd, env: { ...env, ...ports }, timeoutMs: 900_000 });
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/month4 is up on the docker runtime/);
    for (const service of ['minio', 'iceberg-rest', 'trino', 'spark']) expect(up.stderr).toMatch(new RegExp(`${service} ready`));

    // The raw drops landed in the object store byte for byte, through the minio client.
    const credentials = fs.readFileSync(path.join(cwd, '.lab', 'month4', 'docker', 'credentials.env'), 'utf8');
    const secret = (name: string) => new RegExp(`${name}=(\\S+)`).exec(credentials)![1]!;
    const s3 = new StartedS3({ endPoint: '127.0.0.1', port: Number(ports.LAB_S3_PORT), accessKey: secret('LAB_S3_ACCESS_KEY'), secretKey: secret('LAB_S3_SECRET_KEY') });
    const lake = path.join(cwd, '.lab', 'month4', 'docker', 'data', 'lake');
    const files = (fs.readdirSync(path.join(lake, 'bronze'), { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(lake, 'bronze', f)).isFile()).sort();
    expect(await s3.listKeys('lake', 'bronze/')).toEqual(files.map((f) => `bronze/${f.split(path.sep).join('/')}`));
    const one = files.find((f) => f.startsWith(`orders${path.sep}dt=2024-03-01`))!;
    const chunks: Buffer[] = [];
    for await (const c of await s3.client().getObject('lake', `bronze/${one.split(path.sep).join('/')}`)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(fs.readFileSync(path.join(lake, 'bronze', one)))).toBe(true);
    await expect(probeS3Store({ ...s3.connection, secretKey: 'wrong-secret' })).rejects.toThrow(/signature|Access Denied|does not match/i);

    // Every bronze table is an Iceberg table in Trino's catalog, with the rows DuckDB reads from the lake.
    const trino = new StartedTrino({ server: `http://127.0.0.1:${ports.LAB_TRINO_PORT}`, user: 'lab', catalog: 'iceberg' });
    const views = await SqlSession.inMemory();
    for (const sql of bronzeViews(lake)) await views.run(sql);
    for (const table of ['orders', 'order_lines', 'customers', 'products', 'categories']) {
      expect(await trino.scalar(`SELECT count(*) FROM bronze.${table}`), table).toBe(Number(await views.scalar(`SELECT count(*) FROM bronze.${table}`)));
    }
    const firstFile = await views.scalar<string>("SELECT min(file) FROM bronze.orders WHERE dt = DATE '2024-03-01'");
    views.close();
    expect((await trino.query("SELECT min(file) FROM bronze.orders WHERE dt = DATE '2024-03-01'")).rows[0]![0]).toBe(firstFile.replace(`${lake}/`, 's3://lake/'));
    expect((await trino.query('SHOW SCHEMAS')).rows.flat()).toEqual(expect.arrayContaining(['bronze', 'silver', 'gold']));

    // Spark, with the Iceberg runtime, reads the same tables through the same REST catalog and MinIO.
    const [spark] = await docker.listContainers({ filters: { label: [`${PROJECT_LABEL}=lab-month4`, 'com.docker.compose.service=spark'] } });
    const catalog = ['extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions', 'catalog.lake=org.apache.iceberg.spark.SparkCatalog', 'catalog.lake.type=rest', 'catalog.lake.uri=http://iceberg-rest:8181', 'catalog.lake.io-impl=org.apache.iceberg.aws.s3.S3FileIO', 'catalog.lake.s3.endpoint=http://minio:9000', 'catalog.lake.s3.path-style-access=true'];
    const exec = await docker.getContainer(spark!.Id).exec({ Cmd: ['/opt/spark/bin/spark-sql', ...catalog.flatMap((c) => ['--conf', `spark.sql.${c}`]), '-S', '-e', 'SELECT count(*) FROM lake.bronze.orders'], AttachStdout: true, AttachStderr: true });
    const sparkOut = await new Promise<string>((resolve, reject) => {
      void exec.start({}).then((stream) => {
        let out = '';
        const stdout = new PassThrough().on('data', (c: Buffer) => (out += c.toString()));
        docker.modem.demuxStream(stream, stdout, new PassThrough().resume());
        stream.on('end', () => resolve(out));
      }, reject);
    });
    expect(sparkOut.trim().split('\n').pop()).toBe(String(await trino.scalar('SELECT count(*) FROM bronze.orders')));

    // `lab query` runs on Trino: the learner explores bronze in Trino's SQL; a mistake is one line with its place.
    const statuses = await lab(['query', 'month4', "SELECT json_extract_scalar(line, '$.status') AS status, count(*) AS n FROM bronze.orders GROUP BY 1 ORDER BY 1", '--json'], { cwd, env });
    expect(statuses.code, statuses.stderr).toBe(0);
    expect(JSON.parse(statuses.stdout).rows.map((r: unknown[]) => r[0])).toEqual(expect.arrayContaining(['delivered', 'cancelled']));
    const snapshots = await lab(['query', 'month4', 'SELECT snapshot_id, operation FROM bronze."orders$snapshots"', '--json'], { cwd, env });
    expect(snapshots.code, snapshots.stderr).toBe(0);
    expect(JSON.parse(snapshots.stdout).rows.length).toBeGreaterThan(0);
    const wrong = await lab(['query', 'month4', 'SELECT nope FROM bronze.orders'], { cwd, env });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error: Trino: Column 'nope' cannot be resolved \(line 1, column 8\)$/m);

    // Grading is the same as on the local runtime: every reference solution passes.
    const month4 = await loadLab('month4');
    for (const ex of month4.exercises) expect((await lab(['solution', 'month4', ex.id, '--apply'], { cwd, env })).code).toBe(0);
    const solved = await lab(['check', 'month4', '--json'], { cwd, env, timeoutMs: 600_000 });
    expect(JSON.parse(solved.stdout)).toMatchObject({ runtime: 'docker', score: month4.exercises.length, max: month4.exercises.length });

    // A reference per engine: `lab dev check`, with the stack up, builds the Trino-dialect pipeline on
    // Trino into Iceberg tables in MinIO and proves it gives the DuckDB reference's rows, table by table,
    // on both seeds, reading back the very files Trino wrote.
    const dev = await lab(['dev', 'check', 'month4'], { cwd, env, timeoutMs: 1_200_000 });
    expect(dev.stdout.split('\n').filter((l) => l.includes('✗')), dev.stdout + dev.stderr).toEqual([]);
    expect(dev.stdout).toMatch(/✓ references in Trino's dialect give DuckDB's rows, on seed 42 \(small\) and the hidden seed/);
    expect(dev.code).toBe(0);
    const trinoPipeline = orderModels(month4.exercises.filter((e) => e.def.kind === 'model').map((e) => parseModel(path.join(e.dir, 'solution', 'trino', e.def.file))));
    expect(trinoPipeline).toHaveLength(9);
    // The learner's models on Trino: built there from the workspace, judged on the files Trino wrote.
    const onDuckdbDialect = await lab(['check', 'month4', '01', '--engine', 'trino'], { cwd, env, timeoutMs: 600_000 });
    expect(onDuckdbDialect.code).toBe(1);
    expect(onDuckdbDialect.stdout).toMatch(/models built and judged on Trino/);
    expect(onDuckdbDialect.stdout).toMatch(/month4\/01-silver-orders\/silver\.orders\.sql:\d+: Trino: /);
    for (const ex of month4.exercises.filter((e) => e.def.kind === 'model')) {
      fs.copyFileSync(path.join(ex.dir, 'solution', 'trino', ex.def.file), path.join(cwd, 'workspace', 'month4', ex.id, ex.def.file));
    }
    const onTrino = await lab(['check', 'month4', '--engine', 'trino', '--json'], { cwd, env, timeoutMs: 1_200_000 });
    expect(JSON.parse(onTrino.stdout), onTrino.stderr).toMatchObject({ runtime: 'docker', score: month4.exercises.length, max: month4.exercises.length });
    const built = await lab(['run', 'month4', '--engine', 'trino'], { cwd, env, timeoutMs: 600_000 });
    expect(built.code, built.stdout + built.stderr).toBe(0);
    expect([...built.stdout.matchAll(/✓ (\S+)/g)].map((m) => m[1])).toHaveLength(9);
    expect(built.stdout).toMatch(/✓ silver\.orders +[\d,]+ rows  Iceberg table partitioned by order_date/);
    const mart = await lab(['query', 'month4', 'SELECT count(*) AS days, sum(orders) AS orders FROM gold.daily_revenue', '--json'], { cwd, env });
    expect(JSON.parse(mart.stdout).rows[0][0]).toBeGreaterThan(300);
    const orders = path.join(cwd, 'workspace', 'month4', '01-silver-orders', 'silver.orders.sql');
    fs.writeFileSync(orders, fs.readFileSync(orders, 'utf8').replace('WHERE version = 1', ''));
    const duplicates = await lab(['check', 'month4', '01', '--engine', 'trino', '--json'], { cwd, env, timeoutMs: 600_000 });
    expect(duplicates.code).toBe(1);
    const checks = JSON.parse(duplicates.stdout).exercises[0].checks as Array<{ name: string; passed: boolean; message: string }>;
    expect(checks.find((c) => c.name === 'unique key (order_id) · seed 42 (small)')).toMatchObject({ passed: false });
    expect(checks.find((c) => c.name === 'Parquet partitioned by order_date · seed 42 (small)')).toMatchObject({ passed: true, message: expect.stringMatching(/^\d+ Parquet files under order_date=…\/ folders$/) });

    // A model that never ends is stopped by Trino itself, and said so.
    fs.writeFileSync(orders, '-- @partition_by order_date\nSELECT a.line, a.dt AS order_date FROM bronze.orders a CROSS JOIN bronze.orders b CROSS JOIN bronze.orders c\n');
    const endless = await lab(['check', 'month4', '01', '--engine', 'trino', '--timeout', '2'], { cwd, env, timeoutMs: 300_000 });
    expect(endless.code).toBe(1);
    expect(endless.stdout).toMatch(/silver\.orders\.sql: stopped after [\d.]+ s: the model was still running on Trino/);

    // Each build is a snapshot of the same Iceberg table: the previous one stays readable.
    const dimDate = trinoPipeline.find((m) => m.name === 'gold.dim_date')!;
    await createTableAs(trino, { schema: dimDate.layer, table: dimDate.table, sql: dimDate.sql });
    expect(await trino.scalar('SELECT count(*) FROM gold."dim_date$snapshots"')).toBeGreaterThanOrEqual(2);

    const down = await lab(['down', 'month4', '--volumes'], { cwd, env });
    expect(down.code, down.stderr).toBe(0);
    expect(await leftovers(docker, 'lab-month4')).toEqual([]);
  }, 3_600_000);
});
