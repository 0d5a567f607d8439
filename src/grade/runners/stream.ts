import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import { PACKAGE_ROOT } from '../../paths.js';
import { quoteLiteral } from '../../sql.js';
import { runEach, SolutionFailure, type ExerciseRunner, type Job, type Solution, type Target } from './runner.js';

/** The process that runs a learner's detector (src/stream/host.ts, compiled). */
const HOST = path.join(PACKAGE_ROOT, 'dist', 'src', 'stream', 'host.js');
const PARTITIONS = 3;
const PRODUCE_BATCH = 2_000;
/** How long the alerts topic must stay still, once every payment is committed, before the run is over. */
const QUIET_MS = 1_000;

interface RunTopics {
  payments: string;
  alerts: string;
  deadLetters: string;
  group: string;
}

/** Replays the dataset's stream into a fresh payments topic, keyed by card, in arrival order. */
async function replay(kafka: Kafka, target: Target, topic: string): Promise<number> {
  const { rows } = await target.session.queryJson(
    `SELECT card_id, json_object('event_id', event_id, 'card_id', card_id, 'account_id', account_id, 'merchant_id', merchant_id, 'merchant_category', merchant_category,
       'amount', amount::DOUBLE, 'currency', currency, 'country', country, 'device_id', device_id, 'event_time', strftime(event_time, '%Y-%m-%dT%H:%M:%S.%gZ'))::VARCHAR
     FROM payments ORDER BY seq`,
  );
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < rows.length; i += PRODUCE_BATCH) {
      await producer.send({ topic, acks: -1, messages: rows.slice(i, i + PRODUCE_BATCH).map(([key, value]) => ({ key: String(key), value: String(value) })) });
    }
  } finally {
    await producer.disconnect();
  }
  return rows.length;
}

/** Everything a topic holds, from the start to its end offsets now. */
async function readTopic(kafka: Kafka, topic: string): Promise<Array<{ value: string; timestamp: number }>> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const wanted = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  const out: Array<{ value: string; timestamp: number }> = [];
  if ([...wanted.values()].every((h) => h === 0)) return out;
  const consumer = kafka.consumer({ groupId: `lab-reader-${process.pid}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const remaining = new Map(wanted);
      for (const [p, h] of remaining) if (h === 0) remaining.delete(p);
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              out.push({ value: m.value?.toString() ?? '', timestamp: Number(m.timestamp) });
              if (Number(m.offset) + 1 >= (remaining.get(batch.partition) ?? Infinity)) remaining.delete(batch.partition);
            }
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

async function committed(kafka: Kafka, topics: RunTopics): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchOffsets({ groupId: topics.group, topics: [topics.payments] });
    return offsets.flatMap((t) => t.partitions).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } catch {
    // The group's coordinator is still being chosen (a new group): nothing committed yet.
    return 0;
  } finally {
    await admin.disconnect();
  }
}

/** The first line of a crash that points into the learner's file, as `detector.ts:12`. */
function crashMessage(solution: Solution, stderr: string): string {
  const syntax = /\x1e(\{.*\})/.exec(stderr);
  if (syntax) return `${solution.rel}: SyntaxError: ${(JSON.parse(syntax[1]!) as { syntaxError: string }).syntaxError.replace(/^[^:]+:/, '').trim()}`;
  const lines = stderr.trim().split('\n');
  const base = path.basename(solution.file);
  const frame = lines.find((l) => l.includes(solution.file) || l.includes(`/${base}:`));
  const line = frame ? /:(\d+):\d+\)?\s*$/.exec(frame)?.[1] : undefined;
  const error = lines.find((l) => /^\w*(Error|Exception)\b|^Error:/.test(l.trim())) ?? lines[0] ?? 'it exited';
  return `${solution.rel}${line ? `:${line}` : ''}: ${error.trim()}`;
}

class DetectorProcess {
  readonly child: ChildProcess;
  stderr = '';
  stdout = '';
  exit?: number | null;

  constructor(solution: Solution, env: Record<string, string>, buildDir: string) {
    this.child = spawn(process.execPath, ['--enable-source-maps', HOST, solution.file, buildDir], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (c: Buffer) => (this.stdout = (this.stdout + c.toString()).slice(-20_000)));
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-20_000)));
    this.child.on('exit', (code) => (this.exit = code));
  }

  async stop(): Promise<void> {
    if (this.exit !== undefined) return;
    this.child.kill('SIGTERM');
    for (let i = 0; i < 30 && this.exit === undefined; i++) await new Promise((r) => setTimeout(r, 100));
    if (this.exit === undefined) this.child.kill('SIGKILL');
    for (let i = 0; i < 20 && this.exit === undefined; i++) await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the detector has committed every payment and its alerts are still; a crash or the time limit ends the run. */
async function untilConsumed(kafka: Kafka, topics: RunTopics, total: number, detector: DetectorProcess, solution: Solution, started: number): Promise<void> {
  let quietSince = 0;
  let lastAlerts = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    if (detector.exit !== undefined) throw new SolutionFailure(crashMessage(solution, detector.stderr));
    const done = await committed(kafka, topics);
    if (Date.now() - started > solution.timeoutMs) {
      await detector.stop();
      throw new SolutionFailure(
        done === 0
          ? `${solution.rel}: stopped after ${solution.timeoutMs / 1000} s: it committed no offset of ${topics.payments} (does it consume, in its consumer group, and commit what it processed?)`
          : `${solution.rel}: stopped after ${solution.timeoutMs / 1000} s: it had committed ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} payments`,
        true,
      );
    }
    if (done < total) continue;
    const admin = kafka.admin();
    await admin.connect();
    const alerts = (await admin.fetchTopicOffsets(topics.alerts)).reduce((s, o) => s + Number(o.high), 0);
    await admin.disconnect();
    if (alerts !== lastAlerts) {
      lastAlerts = alerts;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= QUIET_MS) return;
  }
}

/** Loads a topic's JSON messages into a temp table; a message that is not an object with the fields is kept, marked not valid. */
async function loadMessages(target: Target, table: string, messages: Array<{ value: string; timestamp: number }>, dir: string): Promise<void> {
  const file = path.join(dir, `${table}.ndjson`);
  fs.writeFileSync(
    file,
    messages
      .map(({ value, timestamp }) => {
        let parsed: Record<string, unknown> | undefined;
        try {
          const v = JSON.parse(value) as unknown;
          parsed = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
        } catch {
          parsed = undefined;
        }
        const valid = !!parsed && typeof parsed.event_id === 'string' && (table !== 'alerts' || (typeof parsed.rule === 'string' && typeof parsed.score === 'number'));
        return JSON.stringify({ event_id: parsed?.event_id ?? null, rule: parsed?.rule ?? null, score: typeof parsed?.score === 'number' ? parsed.score : null, produced_at: timestamp, valid, raw: value.slice(0, 200) });
      })
      .join('\n') + '\n',
  );
  await target.session.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', columns = {event_id: 'VARCHAR', rule: 'VARCHAR', score: 'DOUBLE', produced_at: 'BIGINT', valid: 'BOOLEAN', raw: 'VARCHAR'})`,
  );
}

/** One run of the detector on one dataset: fresh topics and feature store, the stream replayed, alerts and dead letters read back. */
async function runOn(job: Job, target: Target, solution: Solution): Promise<void> {
  const kafka = (await job.stack.service('stream')).client(`lab-grader-${process.pid}`);
  const redis = await job.stack.service('cache');
  const database = target.dataset.hidden ? 2 : 1;
  const store = await redis.client({ database });
  const run = `${job.ex.id.slice(0, 2)}-${target.dataset.hidden ? 'hidden' : 'seed'}-${process.pid}-${Date.now().toString(36)}`;
  const topics: RunTopics = { payments: `grade.${run}.payments`, alerts: `grade.${run}.alerts`, deadLetters: `grade.${run}.payments-dlq`, group: `grade.${run}.detector` };
  const admin = kafka.admin();
  await admin.connect();
  const scratch = path.join(target.dataset.cacheDir, 'runs', run);
  fs.mkdirSync(scratch, { recursive: true });
  target.scratch.push(scratch);
  let detector: DetectorProcess | undefined;
  try {
    await store.flushDb();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.payments, numPartitions: PARTITIONS }, { topic: topics.alerts, numPartitions: 1 }, { topic: topics.deadLetters, numPartitions: 1 }] });
    const total = await replay(kafka, target, topics.payments);
    const env = {
      LAB_KAFKA_BROKERS: (await job.stack.service('stream')).bootstrapServers,
      LAB_PAYMENTS_TOPIC: topics.payments,
      LAB_ALERTS_TOPIC: topics.alerts,
      LAB_DEAD_LETTER_TOPIC: topics.deadLetters,
      LAB_GROUP_ID: topics.group,
      LAB_REDIS_URL: redis.url(database),
    };
    const started = Date.now();
    detector = new DetectorProcess(solution, env, scratch);
    await untilConsumed(kafka, topics, total, detector, solution, started);
    if (job.ex.def.kind === 'stream' && job.ex.def.scenario === 'redeliver') {
      // At-least-once: a restart from older offsets delivers the second half of every partition again.
      await detector.stop();
      // The stopped member leaves its group (or its session times out) before offsets may be moved.
      for (let i = 0; i < 60; i++) {
        const [group] = (await admin.describeGroups([topics.group])).groups;
        if (!group || group.state === 'Empty' || group.state === 'Dead') break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const ends = await admin.fetchTopicOffsets(topics.payments);
      await admin.setOffsets({ groupId: topics.group, topic: topics.payments, partitions: ends.map((e) => ({ partition: e.partition, offset: String(Math.floor(Number(e.high) / 2)) })) });
      detector = new DetectorProcess(solution, env, scratch);
      await untilConsumed(kafka, topics, total, detector, solution, Date.now());
    }
    await detector.stop();
    await loadMessages(target, 'alerts', await readTopic(kafka, topics.alerts), scratch);
    await loadMessages(target, 'dead_letters', await readTopic(kafka, topics.deadLetters), scratch);
  } finally {
    await detector?.stop();
    await admin.deleteTopics({ topics: [topics.payments, topics.alerts, topics.deadLetters] }).catch(() => undefined);
    await admin.deleteGroups([topics.group]).catch(() => undefined);
    await admin.disconnect();
    await store.flushDb().catch(() => undefined);
    await store.quit().catch(() => undefined);
  }
}

export const streamRunner: ExerciseRunner<'stream'> = {
  kind: 'stream',
  defaultTimeoutMs: 60_000,
  // A detector competes with the broker and Redis for the cores, not with DuckDB's queries.
  lane: 'stream',
  fingerprint: async () => [fs.existsSync(HOST) ? fs.readFileSync(HOST, 'utf8') : ''],
  // Judged against the stream's labels: nothing to build.
  prepareReference: async () => undefined,
  async runLearner(job, targets, solution) {
    const failure = await runEach(targets, (t) => runOn(job, t, solution));
    return { failure, extras: targets.map(() => ({ alertsTable: 'alerts', deadLettersTable: 'dead_letters' })) };
  },
};
