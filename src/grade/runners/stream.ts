import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import type { StartedKafka } from '../../services/kafka.js';
import type { StreamExercise, StreamRunContext } from '../../lab/define.js';
import { PACKAGE_ROOT } from '../../paths.js';
import { LabError } from '../../errors.js';
import { isAlive } from '../../pids.js';
import { DETECTOR_HOST, detectorCommand, isPythonDetector, sparkDetectorEnv, type DetectorCommand } from '../../stream/detector-command.js';
import { PAYMENTS_PARTITIONS, paymentsOf, replayPayments } from '../../stream/replay.js';
import { quoteLiteral } from '../../sql.js';
import { runEach, SolutionFailure, type ExerciseRunner, type Job, type Solution, type Target } from './runner.js';

/** How long the alerts topic must stay still, once every payment is committed, before the run is over. */
const QUIET_MS = 1_000;

type StreamExtras = Omit<StreamRunContext, keyof import('../../lab/define.js').RunContext>;

interface Message {
  value: string;
  timestamp: number;
  partition: number;
  offset: number;
}

interface RunTopics {
  payments: string;
  alerts: string;
  deadLetters: string;
  group: string;
  /** A checkpointed job's folder: its committed batches, not a consumer group, say what it consumed. */
  checkpoint?: string;
}

/** Once the reader has joined, this long without a message means the topic is read (what is left are transaction markers). */
const READ_IDLE_MS = 1_500;

/**
 * Everything a topic holds, from the start to its end offsets now. A transactional producer's
 * commit markers take offsets but are never delivered, so the end is also reached when, joined,
 * the reader receives nothing for a moment.
 */
async function readTopic(kafka: Kafka, topic: string): Promise<Message[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.map((e) => [e.partition, Number(e.high)]).filter(([, h]) => h! > 0) as Array<[number, number]>);
  const out: Message[] = [];
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `lab-reader-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  let joined = false;
  let lastActivity = Date.now();
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
    lastActivity = Date.now();
  });
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const finish = (err?: unknown) => {
        clearInterval(idle);
        if (err) reject(err);
        else resolve();
      };
      const idle = setInterval(() => joined && Date.now() - lastActivity >= READ_IDLE_MS && finish(), 100);
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            lastActivity = Date.now();
            for (const m of batch.messages) {
              out.push({ value: m.value?.toString() ?? '', timestamp: Number(m.timestamp), partition: batch.partition, offset: Number(m.offset) });
              if (Number(m.offset) + 1 >= (remaining.get(batch.partition) ?? Infinity)) remaining.delete(batch.partition);
            }
            if (remaining.size === 0) finish();
          },
        })
        .catch(finish);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/** The first line of a crash that points into the learner's file, as `detector.ts:12` (or a Python traceback's `detector.py:12`). */
function crashMessage(solution: Solution, stderr: string): string {
  const syntax = /\x1e(\{.*\})/.exec(stderr);
  if (syntax) return `${solution.rel}: SyntaxError: ${(JSON.parse(syntax[1]!) as { syntaxError: string }).syntaxError.replace(/^[^:]+:/, '').trim()}`;
  const lines = stderr.trim().split('\n');
  const base = path.basename(solution.file);
  if (lines.some((l) => l.startsWith('Traceback (most recent call last)'))) {
    const frames = lines.filter((l) => /^\s*File "/.test(l) && (l.includes(solution.file) || l.includes(`/${base}"`)));
    const line = frames.length ? /line (\d+)/.exec(frames[frames.length - 1]!)?.[1] : undefined;
    // The exception is the last unindented line; Spark's own JVM trace follows it, indented.
    const error = [...lines].reverse().find((l) => /^[\w.]*(Error|Exception)\b/.test(l)) ?? lines[lines.length - 1]!;
    return `${solution.rel}${line ? `:${line}` : ''}: ${error.trim().replace(/^pyspark\.errors\.exceptions\.captured\./, '').split('\n')[0]!.slice(0, 400)}`;
  }
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
  private readonly group: boolean;

  constructor(run: DetectorCommand, env: Record<string, string>, cwd: string) {
    this.group = run.group;
    this.child = spawn(run.command, run.args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: run.group });
    this.child.stdout!.on('data', (c: Buffer) => (this.stdout = (this.stdout + c.toString()).slice(-20_000)));
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-20_000)));
    this.child.on('exit', (code) => (this.exit = code));
  }

  private signal(sig: NodeJS.Signals): void {
    try {
      if (this.group && this.child.pid) process.kill(-this.child.pid, sig);
      else this.child.kill(sig);
    } catch {
      // already gone
    }
  }

  /** A crash as the machine sees it: no shutdown hook runs, nothing is flushed. */
  kill(): void {
    if (this.exit === undefined) this.signal('SIGKILL');
    // A Spark job's JVM is in the group: it must not outlive the script.
    else if (this.group) this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.exit === undefined) {
      this.signal('SIGTERM');
      for (let i = 0; i < 30 && this.exit === undefined; i++) await new Promise((r) => setTimeout(r, 100));
      if (this.exit === undefined) this.signal('SIGKILL');
      for (let i = 0; i < 20 && this.exit === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    }
    if (this.group) this.signal('SIGKILL');
  }
}

/** Waits until the detector has committed every payment and its alerts are still; a crash or the time limit ends the run. */
async function untilConsumed(admin: Admin, topics: RunTopics, total: number, detector: DetectorProcess, solution: Solution, started: number): Promise<void> {
  let quietSince = 0;
  let lastAlerts = -1;
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    if (detector.exit !== undefined) throw new SolutionFailure(crashMessage(solution, detector.stderr));
    const done = await committedTotal(admin, topics);
    if (Date.now() - started > solution.timeoutMs) {
      await detector.stop();
      throw new SolutionFailure(
        done === 0
          ? topics.checkpoint
            ? `${solution.rel}: stopped after ${solution.timeoutMs / 1000} s: its checkpoint holds no committed batch of ${topics.payments} (does the query read LAB_PAYMENTS_TOPIC and write with checkpointLocation LAB_CHECKPOINT_DIR?)`
            : `${solution.rel}: stopped after ${solution.timeoutMs / 1000} s: it committed no offset of ${topics.payments} (does it consume, in its consumer group, and commit what it processed?)`
          : `${solution.rel}: stopped after ${solution.timeoutMs / 1000} s: it had committed ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} payments`,
        true,
      );
    }
    if (done < total) continue;
    const alerts = (await admin.fetchTopicOffsets(topics.alerts)).reduce((s, o) => s + Number(o.high), 0);
    if (alerts !== lastAlerts) {
      lastAlerts = alerts;
      quietSince = Date.now();
    } else if (Date.now() - quietSince >= QUIET_MS) return;
  }
}

/** Loads a topic's JSON messages into a temp table; a message that is not an object with the fields is kept, marked not valid. */
async function loadMessages(target: Target, table: string, messages: Message[], dir: string): Promise<void> {
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
        const valid = !!parsed && typeof parsed.event_id === 'string' && (table === 'dead_letters' || table === 'deliveries' || (typeof parsed.rule === 'string' && typeof parsed.score === 'number'));
        return JSON.stringify({ event_id: parsed?.event_id ?? null, rule: parsed?.rule ?? null, score: typeof parsed?.score === 'number' ? parsed.score : null, produced_at: timestamp, valid, raw: value.slice(0, 200) });
      })
      .join('\n') + '\n',
  );
  await target.session.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM read_json(${quoteLiteral(file)}, format = 'newline_delimited', columns = {event_id: 'VARCHAR', rule: 'VARCHAR', score: 'DOUBLE', produced_at: 'BIGINT', valid: 'BOOLEAN', raw: 'VARCHAR'})`,
  );
}

/** How a run treats the detector: which faults the grader injects while it consumes. */
type Scenario = NonNullable<StreamExercise['scenario']>;

/** What one pass of the stream through the detector left behind, and what the grader did to it. */
interface Pass {
  alerts: Message[];
  deadLetters: Message[];
  /** Paced: each payment's send time (its offset is its place in the stream). */
  deliveries: Message[];
  incident?: string;
  /** A checkpointed job: the watermark its last batch left. */
  watermarkMs?: number;
}

/** Payments per second of a paced run, unless the exercise sets its own. */
const DEFAULT_PACE = 2_000;

/** Waits until the detectors' consumers have joined their group and each holds partitions. */
async function untilJoined(admin: Admin, topics: RunTopics, detectors: DetectorProcess[], solution: Solution, started: number): Promise<void> {
  for (;;) {
    for (const d of detectors) if (d.exit !== undefined) throw new SolutionFailure(crashMessage(solution, d.stderr));
    // A Spark job has started reading once its Kafka source has written its initial offsets.
    if (topics.checkpoint && fs.existsSync(path.join(topics.checkpoint, 'sources', '0', '0'))) return;
    const [g] = topics.checkpoint ? [] : (await admin.describeGroups([topics.group])).groups;
    if (g?.state === 'Stable' && g.members.filter((m) => m.memberAssignment.length > 0).length >= detectors.length) return;
    if (Date.now() - started > solution.timeoutMs) {
      const what = detectors.length > 1 ? `${detectors.length} instances never shared the partitions of consumer group ${topics.group} (do both join the group LAB_GROUP_ID gives?)` : `it never joined consumer group ${topics.group} (does it subscribe with the group id LAB_GROUP_ID gives?)`;
      throw new SolutionFailure(`${solution.rel}: stopped after ${solution.timeoutMs / 1000} s: ${what}`, true);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until a group has no live member, so its offsets may be moved or its partitions taken over. */
async function untilGroupEmpty(admin: Admin, group: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    const [g] = (await admin.describeGroups([group])).groups;
    if (!g || g.state === 'Empty' || g.state === 'Dead') return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** What the detector has consumed, per partition of the payments topic: its group's committed offsets, or its checkpoint's. */
async function committedByPartition(admin: Admin, topics: RunTopics): Promise<Map<number, number>> {
  if (topics.checkpoint) return checkpointed(topics.checkpoint, topics.payments).offsets;
  try {
    const [t] = await admin.fetchOffsets({ groupId: topics.group, topics: [topics.payments] });
    return new Map((t?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]));
  } catch {
    // A new group's coordinator is still being chosen: nothing committed yet.
    return new Map();
  }
}

/**
 * A Spark job's checkpoint: the offsets of its newest committed batch (offsets/<n> once commits/<n>
 * exists: a version line, the batch's metadata, then one line per source) and the watermark it left.
 */
function checkpointed(dir: string, topic: string): { offsets: Map<number, number>; watermarkMs: number } {
  const batches = (sub: string) => (fs.existsSync(path.join(dir, sub)) ? fs.readdirSync(path.join(dir, sub)).filter((f) => /^\d+$/.test(f)).map(Number) : []);
  const last = Math.max(-1, ...batches('commits'));
  const offsets = new Map<number, number>();
  if (last < 0) return { offsets, watermarkMs: 0 };
  const read = (sub: string) => fs.readFileSync(path.join(dir, sub, String(last)), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const source of read('offsets').slice(1)) {
    const partitions = source[topic] as Record<string, number> | undefined;
    for (const [p, o] of Object.entries(partitions ?? {})) offsets.set(Number(p), Number(o));
  }
  return { offsets, watermarkMs: Number(read('commits')[0]?.nextBatchWatermarkMs ?? 0) };
}

const committedTotal = async (admin: Admin, topics: RunTopics): Promise<number> => [...(await committedByPartition(admin, topics)).values()].reduce((a, b) => a + b, 0);

/**
 * The fault of the crash scenario: a SIGKILL at the first sign that offsets were committed past a
 * payment whose alert is not on the alerts topic (seen twice, 100 ms apart, so a consumer's lag is
 * not taken for it), or else once the stream so far is committed.
 */
async function killAtCommitAhead(kafka: Kafka, admin: Admin, topics: RunTopics, expected: Set<string>, total: number, detector: DetectorProcess, solution: Solution, started: number): Promise<string> {
  const where = new Map<string, { partition: number; offset: number }>();
  for (const m of await readTopic(kafka, topics.payments)) {
    const id = (JSON.parse(m.value) as { event_id: string }).event_id;
    const seen = where.get(id);
    if (!seen || m.offset > seen.offset) where.set(id, { partition: m.partition, offset: m.offset });
  }
  const written = new Set<string>();
  const tail = kafka.consumer({ groupId: `lab-tail-${process.pid}-${Date.now()}`, maxWaitTimeInMs: 50 });
  await tail.connect();
  await tail.subscribe({ topic: topics.alerts, fromBeginning: true });
  void tail.run({ eachMessage: async ({ message }) => void written.add(eventIdOf(message.value?.toString() ?? '')) });
  let suspect: string | undefined;
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      if (detector.exit !== undefined) throw new SolutionFailure(crashMessage(solution, detector.stderr));
      if (Date.now() - started > solution.timeoutMs) throw new SolutionFailure(`${solution.rel}: stopped after ${solution.timeoutMs / 1000} s: it had not consumed the first half of the stream before the planned kill`, true);
      const committedNow = await committedByPartition(admin, topics);
      const behind = [...expected].find((id) => {
        const at = where.get(id);
        return at && at.offset < (committedNow.get(at.partition) ?? 0) && !written.has(id);
      });
      const done = [...committedNow.values()].reduce((a, b) => a + b, 0);
      if (behind && behind === suspect) {
        detector.kill();
        const at = where.get(behind)!;
        return `killed it (SIGKILL) when its offsets were committed past payment ${behind} (partition ${at.partition}, offset ${at.offset}) whose alert was not on the alerts topic, at ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} payments committed`;
      }
      suspect = behind;
      if (!behind && done >= total) {
        detector.kill();
        return `killed it (SIGKILL) at ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} payments committed`;
      }
    }
  } finally {
    await tail.disconnect().catch(() => undefined);
  }
}

const eventIdOf = (value: string): string => {
  try {
    return String((JSON.parse(value) as { event_id?: unknown }).event_id ?? '');
  } catch {
    return '';
  }
};

/**
 * The rebalance scenario's fault: both instances joined before the first payment, so each holds
 * state only for its own partitions; once the stream so far is committed, one is killed.
 */
async function killOneOfTwo(admin: Admin, topics: RunTopics, total: number, first: DetectorProcess, second: DetectorProcess, solution: Solution, started: number): Promise<string> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 200));
    for (const d of [first, second]) if (d.exit !== undefined) throw new SolutionFailure(crashMessage(solution, d.stderr));
    if (Date.now() - started > solution.timeoutMs) throw new SolutionFailure(`${solution.rel}: stopped after ${solution.timeoutMs / 1000} s: two instances in one group never consumed the first third of the stream`, true);
    const done = await committedTotal(admin, topics);
    if (done >= total) {
      first.kill();
      return `ran two instances in one group and killed one (SIGKILL) at ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} payments committed; the other took its partitions over`;
    }
  }
}

/** Topics and groups of grading runs (the learner's own) whose `lab` process is gone (killed mid-check): removed before a new run. */
async function removeAbandonedRuns(admin: Admin, stream: StartedKafka): Promise<void> {
  const abandoned = (name: string) => {
    const pid = /^grade\.\d+-(?:seed|hidden)-(\d+)-/.exec(stream.own(name) ?? '')?.[1];
    return pid !== undefined && Number(pid) !== process.pid && !isAlive(Number(pid));
  };
  const topics = (await admin.listTopics()).filter(abandoned);
  if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
  const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter(abandoned);
  if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
}

/** The stream through the detector once, on fresh topics and a flushed feature store, with the scenario's fault. */
async function runPass(job: Job, target: Target, solution: Solution, scenario: Scenario, expected?: Set<string>): Promise<Pass> {
  const stream = await job.stack.service('stream');
  const kafka = stream.client(`lab-grader-${process.pid}`);
  const redis = await job.stack.service('cache');
  const database = redis.database(target.dataset.hidden ? 'hidden' : 'seed');
  const store = await redis.client({ database });
  const run = `${job.ex.id.slice(0, 2)}-${target.dataset.hidden ? 'hidden' : 'seed'}-${process.pid}-${Date.now().toString(36)}`;
  const scratch = path.join(target.dataset.cacheDir, 'runs', run);
  fs.mkdirSync(scratch, { recursive: true });
  target.scratch.push(scratch);
  const python = isPythonDetector(solution.file) ? await job.stack.service('python') : undefined;
  const command: DetectorCommand = detectorCommand(solution.file, scratch, python?.python);
  const checkpoint = job.ex.def.kind === 'stream' && job.ex.def.progress === 'checkpoint' ? path.join(scratch, 'checkpoint') : undefined;
  // On a shared cluster, inside the learner's prefix.
  const named = (what: string) => stream.name(`grade.${run}.${what}`);
  const topics: RunTopics = { payments: named('payments'), alerts: named('alerts'), deadLetters: named('payments-dlq'), group: named('detector'), ...(checkpoint ? { checkpoint } : {}) };
  const admin = kafka.admin();
  await admin.connect();
  const detectors: DetectorProcess[] = [];
  const start = () => {
    const d = new DetectorProcess(command, env, scratch);
    detectors.push(d);
    return d;
  };
  const env = {
    ...(checkpoint ? sparkDetectorEnv(checkpoint, python?.sparkJars ?? []) : {}),
    LAB_KAFKA_BROKERS: stream.bootstrapServers,
    LAB_PAYMENTS_TOPIC: topics.payments,
    LAB_ALERTS_TOPIC: topics.alerts,
    LAB_DEAD_LETTER_TOPIC: topics.deadLetters,
    LAB_GROUP_ID: topics.group,
    LAB_REDIS_URL: redis.url(database),
  };
  let incident: string | undefined;
  const deliveries: Message[] = [];
  try {
    await store.flushDb();
    await removeAbandonedRuns(admin, stream);
    await stream.createTopics(admin, [{ topic: topics.payments, numPartitions: PAYMENTS_PARTITIONS }, { topic: topics.alerts, numPartitions: 1 }, { topic: topics.deadLetters, numPartitions: 1 }]);
    const rows = await paymentsOf(target.session);
    const total = rows.length;
    // A fault lands mid-stream however fast the detector is: the rest of the stream is produced after it.
    const before = scenario === 'crash' || scenario === 'rebalance' ? Math.floor(total / (scenario === 'crash' ? 2 : 3)) : scenario === 'paced' ? 0 : total;
    // Rebalance: both instances join before the first payment, or one of them could see it all.
    if (scenario !== 'rebalance') await replayPayments(kafka, topics.payments, rows.slice(0, before));
    const started = Date.now();
    let detector = start();
    if (scenario === 'crash' && expected) {
      incident = await killAtCommitAhead(kafka, admin, topics, expected, before, detector, solution, started);
      await detector.stop();
      await untilGroupEmpty(admin, topics.group);
      detector = start();
    } else if (scenario === 'rebalance') {
      const second = start();
      await untilJoined(admin, topics, [detector, second], solution, started);
      await replayPayments(kafka, topics.payments, rows.slice(0, before));
      incident = await killOneOfTwo(admin, topics, before, detector, second, solution, started);
      await detector.stop();
      detector = second;
    }
    // Paced: the detector has joined before the first payment is sent, so its start-up is not its latency.
    if (scenario === 'paced') await untilJoined(admin, topics, [detector], solution, started);
    const rate = scenario === 'paced' ? (job.ex.def.kind === 'stream' && job.ex.def.rate) || DEFAULT_PACE : undefined;
    await replayPayments(kafka, topics.payments, rows.slice(before), {
      rate,
      onSent: (first, count, at) => {
        if (rate) for (let i = before + first; i < before + first + count; i++) deliveries.push({ value: JSON.stringify({ event_id: eventIdOf(rows[i]![1]) }), timestamp: at, partition: -1, offset: i });
      },
    });
    await untilConsumed(admin, topics, total, detector, solution, Date.now());
    if (scenario === 'redeliver') {
      // At-least-once: a restart from older offsets delivers the second half of every partition again.
      await detector.stop();
      await untilGroupEmpty(admin, topics.group);
      const ends = await admin.fetchTopicOffsets(topics.payments);
      await admin.setOffsets({ groupId: topics.group, topic: topics.payments, partitions: ends.map((e) => ({ partition: e.partition, offset: String(Math.floor(Number(e.high) / 2)) })) });
      detector = start();
      await untilConsumed(admin, topics, total, detector, solution, Date.now());
      incident = 'restarted it from the middle of every partition once it had consumed the stream';
    }
    for (const d of detectors) await d.stop();
    if (rate) incident = `sent the stream at ${rate.toLocaleString('en-US')} payments/s`;
    const watermarkMs = checkpoint ? checkpointed(checkpoint, topics.payments).watermarkMs : undefined;
    return { alerts: await readTopic(kafka, topics.alerts), deadLetters: await readTopic(kafka, topics.deadLetters), deliveries, incident, ...(watermarkMs !== undefined ? { watermarkMs } : {}) };
  } catch (err) {
    // A detector (or the grader) failing because a service went away is not the learner's mistake.
    for (const d of detectors) await d.stop();
    const lab = job.stack.lab.name;
    if (!(await stream.answers())) throw new LabError(`The Kafka broker at ${stream.bootstrapServers} stopped answering during the check: nothing was graded.`, `\`lab status ${lab}\` shows it; \`lab up ${lab}\` starts it again.`);
    if (!(await redis.answers())) throw new LabError('Redis stopped answering during the check: nothing was graded.', `\`lab status ${lab}\` shows it; \`lab up ${lab}\` starts it again.`);
    throw err;
  } finally {
    for (const d of detectors) await d.stop();
    await admin.deleteTopics({ topics: [topics.payments, topics.alerts, topics.deadLetters] }).catch(() => undefined);
    await admin.deleteGroups([topics.group]).catch(() => undefined);
    await admin.disconnect();
    await store.flushDb().catch(() => undefined);
    await store.quit().catch(() => undefined);
  }
}

/**
 * One dataset: the stream through the detector under the exercise's scenario. A fault scenario
 * first runs it clean, so "nothing lost" is judged against what this same detector finds unharmed.
 */
async function runOn(job: Job, target: Target, solution: Solution): Promise<StreamExtras> {
  const scenario: Scenario = (job.ex.def.kind === 'stream' && job.ex.def.scenario) || 'once';
  const dir = path.join(target.dataset.cacheDir, 'runs');
  const faulty = scenario === 'crash' || scenario === 'rebalance';
  const clean = faulty ? await runPass(job, target, solution, 'once') : undefined;
  const expected = clean ? new Set(clean.alerts.map((a) => eventIdOf(a.value)).filter(Boolean)) : undefined;
  const pass = await runPass(job, target, solution, scenario, expected);
  await loadMessages(target, 'alerts', pass.alerts, dir);
  await loadMessages(target, 'dead_letters', pass.deadLetters, dir);
  if (clean) await loadMessages(target, 'unharmed_alerts', clean.alerts, dir);
  if (pass.deliveries.length) await loadMessages(target, 'deliveries', pass.deliveries, dir);
  const watermark = pass.watermarkMs !== undefined ? { watermarkMs: pass.watermarkMs, newestEventMs: Number(await target.session.scalar('SELECT epoch_ms(max(event_time)) FROM payments')) } : {};
  return { alertsTable: 'alerts', deadLettersTable: 'dead_letters', ...watermark, ...(clean ? { unharmedAlertsTable: 'unharmed_alerts' } : {}), ...(pass.deliveries.length ? { deliveriesTable: 'deliveries' } : {}), ...(pass.incident ? { incident: pass.incident } : {}) };
}

export const streamRunner: ExerciseRunner<'stream'> = {
  kind: 'stream',
  defaultTimeoutMs: 60_000,
  // A detector competes with the broker and Redis for the cores, not with DuckDB's queries.
  lane: 'stream',
  fingerprint: async () => [fs.existsSync(DETECTOR_HOST) ? fs.readFileSync(DETECTOR_HOST, 'utf8') : ''],
  // Judged against the stream's labels: nothing to build.
  prepareReference: async () => undefined,
  async runLearner(job, targets, solution) {
    const extras: StreamExtras[] = targets.map(() => ({ alertsTable: 'alerts', deadLettersTable: 'dead_letters' }));
    const failure = await runEach(targets, async (t) => void (extras[targets.indexOf(t)] = await runOn(job, t, solution)));
    return { failure, extras };
  },
};
