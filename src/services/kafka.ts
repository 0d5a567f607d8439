import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';
import { z } from 'zod';
import { LabError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';
import { fetchStep } from './fetch.js';
import { defineService, type LocalProcessContext } from './service.js';

export const KAFKA_PORT = 9092;
/** The local broker's listener on 127.0.0.1 (its KRaft controller listens one port above). */
export const LOCAL_KAFKA_PORT = 49092;
/** The same broker as the docker runtime's image: its jars come from the same pom. */
export const KAFKA_VERSION = '3.9.1';
const KAFKA_RECIPE = path.join(PACKAGE_ROOT, 'compose', 'images', 'kafka');
const LOCAL_CLUSTER_ID = 'bGFrZWhvdXNlLWxhYi1tNQ';

export interface KafkaConnection {
  brokers: string[];
  clientId?: string;
  /** On a shared cluster, the learner's topics and consumer groups all start with it (`alice.month5.`). */
  topicPrefix?: string;
}

function kafkaClient(conn: KafkaConnection): Kafka {
  return new Kafka({ clientId: conn.clientId ?? 'lakehouse-lab', brokers: conn.brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 0 } });
}

/** Ready when a metadata request lists at least one broker and the controller. */
export async function probeKafka(conn: KafkaConnection): Promise<void> {
  const admin: Admin = kafkaClient(conn).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the cluster lists no broker yet');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Topics (without Kafka's own) and each consumer group's lag, for `lab status`. */
export async function describeKafka(conn: KafkaConnection): Promise<string> {
  const admin = kafkaClient(conn).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).sort();
    const lags: string[] = [];
    for (const groupId of groups.slice(0, 5)) {
      let lag = 0;
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const p of partitions) lag += Math.max(0, Number(ends.find((e) => e.partition === p.partition)?.high ?? 0) - Math.max(0, Number(p.offset)));
      }
      lags.push(`${groupId} lag ${lag.toLocaleString('en-US')}`);
    }
    return ` · topics: ${topics.join(', ') || 'none'}${lags.length ? ` · groups: ${lags.join(', ')}${groups.length > 5 ? ` (+${groups.length - 5})` : ''}` : ''}`;
  } catch {
    return '';
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Creates topics and returns once every partition is served. kafkajs' `waitForLeaders` only retries
 * "leader not available": a KRaft broker under load still answers "does not host this topic-partition"
 * for a topic its controller has just created, and a leader in the metadata is not yet a broker that serves it.
 */
export async function createServedTopics(admin: Admin, topics: ITopicConfig[], timeoutMs = 60_000): Promise<void> {
  await admin.createTopics({ waitForLeaders: false, topics });
  const deadline = Date.now() + timeoutMs;
  for (const { topic, numPartitions } of topics) {
    for (;;) {
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        if (numPartitions === undefined || numPartitions < 1 || offsets.length >= numPartitions) break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
      if (Date.now() > deadline) throw new Error(`topic ${topic} was created but its partitions were not served within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

export class StartedKafka {
  constructor(readonly connection: KafkaConnection) {}

  get bootstrapServers(): string {
    return this.connection.brokers.join(',');
  }

  /** A kafkajs client with retries, for producers, consumers and admin. */
  client(clientId = 'lakehouse-lab'): Kafka {
    return new Kafka({ clientId, brokers: this.connection.brokers, logLevel: logLevel.NOTHING });
  }

  /** Whether the broker still answers a metadata request (a failure mid-run is then the broker's, not the client's). */
  async answers(): Promise<boolean> {
    return probeKafka(this.connection).then(
      () => true,
      () => false,
    );
  }

  /** Creates topics and returns once their partitions are served (see `createServedTopics`). */
  createTopics(admin: Admin, topics: ITopicConfig[], timeoutMs?: number): Promise<void> {
    return createServedTopics(admin, topics, timeoutMs);
  }

  /** The name a topic or consumer group of the lab has here: inside the learner's prefix on a shared cluster. */
  name(local: string): string {
    return `${this.connection.topicPrefix ?? ''}${local}`;
  }

  /** Whether a topic or group is the learner's (on a cluster of one's own, everything is), and its name without the prefix. */
  own(name: string): string | undefined {
    const prefix = this.connection.topicPrefix ?? '';
    return name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
  }
}

/** A single KRaft node (broker and controller) on loopback; one partition replica, so consumer groups work on one broker. */
function serverProperties(ctx: LocalProcessContext): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `listeners=PLAINTEXT://127.0.0.1:${ctx.port},CONTROLLER://127.0.0.1:${ctx.port + 1}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${ctx.port}`,
    'controller.listener.names=CONTROLLER',
    `controller.quorum.voters=1@127.0.0.1:${ctx.port + 1}`,
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${path.join(ctx.dir, 'data')}`,
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.partitions=3',
    '',
  ].join('\n');
}

const libsDir = (ctx: LocalProcessContext) => path.join(ctx.cacheDir, `kafka-${KAFKA_VERSION}`, 'libs');
const javaArgs = (ctx: LocalProcessContext) => ['-cp', `${libsDir(ctx)}/*`, `-Dlog4j.configuration=file:${path.join(KAFKA_RECIPE, 'log4j.properties')}`];

/** The broker as a local process: Apache Kafka's jars from Maven Central (fetched once into the cache) on this machine's JDK. */
async function prepareLocalKafka(ctx: LocalProcessContext): Promise<void> {
  if (spawnSync('java', ['-version']).error) throw new LabError('No JDK found: the local Kafka broker runs on Java 17 or newer.', 'Install one (`apt-get install openjdk-17-jre-headless`), or use `--runtime docker`.');
  const libs = libsDir(ctx);
  if (!fs.existsSync(path.join(libs, `kafka_2.13-${KAFKA_VERSION}.jar`))) {
    const tmp = `${libs}.fetching-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    await fetchStep(ctx.output, `Kafka ${KAFKA_VERSION}: jars from Maven Central (once, into ${path.dirname(libs)})`, 'mvn', ['-q', '-B', '-f', path.join(KAFKA_RECIPE, 'pom.xml'), 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${tmp}`], {
      cwd: KAFKA_RECIPE,
      missing: ['Maven (mvn) is needed once, to fetch the Kafka broker\'s jars from Maven Central.', 'Install it: `apt-get install maven`.'],
      failed: ['Fetching the Kafka jars from Maven Central failed', 'Check that Maven Central is reachable (a proxy in ~/.m2/settings.xml?).'],
      summary: () => `${fs.readdirSync(tmp).length} jars`,
    });
    fs.rmSync(libs, { recursive: true, force: true });
    fs.renameSync(tmp, libs);
  }
  fs.mkdirSync(ctx.dir, { recursive: true });
  const config = path.join(ctx.dir, 'server.properties');
  fs.writeFileSync(config, serverProperties(ctx));
  if (!fs.existsSync(path.join(ctx.dir, 'data', 'meta.properties'))) {
    const format = spawnSync('java', [...javaArgs(ctx), 'kafka.tools.StorageTool', 'format', '-t', LOCAL_CLUSTER_ID, '-c', config], { encoding: 'utf8' });
    if (format.status !== 0) throw new LabError(`Formatting the local Kafka storage failed: ${(format.stderr || format.stdout).trim().split('\n').pop()}`, `Delete ${ctx.dir} and run \`lab up\` again.`);
  }
}

const RemoteSection = z.object({ brokers: z.array(z.string()).min(1) }).strict();

export const kafkaService = defineService({
  name: 'kafka',
  role: 'stream',
  containerPort: KAFKA_PORT,
  localImages: { 'apache/kafka:3.9.1': 'kafka' },
  fromCompose: (at): KafkaConnection => ({ brokers: [`${at.host}:${at.port}`] }),
  local: {
    port: LOCAL_KAFKA_PORT,
    // A JVM broker on 2 busy cores (CI with Trino and Spark beside it) took over 60 s to install its metadata publishers.
    readyWithinMs: 180_000,
    prepare: prepareLocalKafka,
    command: (ctx) => ({ command: 'java', args: ['-Xms128m', '-Xmx512m', '-XX:+UseG1GC', ...javaArgs(ctx), 'kafka.Kafka', path.join(ctx.dir, 'server.properties')] }),
    connection: (port): KafkaConnection => ({ brokers: [`127.0.0.1:${port}`] }),
  },
  remote: {
    key: 'kafka',
    schema: RemoteSection,
    location: ['LAB_REMOTE_KAFKA_BROKERS'],
    secrets: [],
    fromEnv: (env, file) => (env.LAB_REMOTE_KAFKA_BROKERS ? { brokers: env.LAB_REMOTE_KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean) } : file),
    connect: (section, _env, names): KafkaConnection => ({ brokers: section.brokers, topicPrefix: names.topicPrefix }),
    async clean(kafka, names) {
      const admin = kafka.client('lakehouse-lab-cleanup').admin();
      await admin.connect();
      try {
        const removed: string[] = [];
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(names.topicPrefix));
        if (topics.length) {
          await admin.deleteTopics({ topics });
          removed.push(`${topics.length} kafka topic${topics.length === 1 ? '' : 's'} ${names.topicPrefix}*`);
        }
        // Groups with a live member cannot be deleted: those are left to expire.
        const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(names.topicPrefix));
        if (groups.length) {
          const results = await admin.deleteGroups(groups).catch(() => []);
          const gone = results.filter((r) => !r.error || r.errorCode === 0).length;
          if (gone) removed.push(`${gone} consumer group${gone === 1 ? '' : 's'} ${names.topicPrefix}*`);
        }
        return removed;
      } finally {
        await admin.disconnect();
      }
    },
  },
  probe: probeKafka,
  describe: describeKafka,
  where: (c) => c.brokers.join(','),
  start: (c) => new StartedKafka(c),
});
