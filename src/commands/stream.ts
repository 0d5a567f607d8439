import fs from 'node:fs';
import path from 'node:path';
import type { StartedKafka } from '../services/kafka.js';
import type { Admin } from 'kafkajs';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { loadLab } from '../lab/load.js';
import { openDatasetSession } from '../runtime/dataset-session.js';
import { PAYMENTS_PARTITIONS, paymentsOf, replayPayments } from '../stream/replay.js';
import { formatCount, formatMs } from '../ui/output.js';
import { attachStack, type CommandContext } from './context.js';

/** The topic the learner's own detector reads (`lab detect`); the grader uses topics of its own. */
export const PAYMENTS_TOPIC = 'payments';

export interface StreamFlags {
  rate?: string;
  duration?: string;
  fromStart?: boolean;
}

/** Where the last replay stopped, per dataset, so the next one carries on. */
interface Position {
  dataset: string;
  next: number;
}

function positiveNumber(value: string | undefined, flag: string, example: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new LabError(`${flag} must be a positive number, not '${value}'.`, `e.g. ${example}`);
  return n;
}

/** Every consumer group reading the topic, with how far behind its end it is. */
async function groupLags(admin: Admin, broker: StartedKafka, topic: string): Promise<string> {
  const ends = await admin.fetchTopicOffsets(topic);
  const high = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  const parts: string[] = [];
  for (const { groupId } of (await admin.listGroups()).groups) {
    // Only the learner's own groups (on a shared cluster), and not the lab's readers.
    if (groupId.startsWith('lab-') || broker.own(groupId) === undefined) continue;
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    if (!offsets || offsets.partitions.every((p) => Number(p.offset) < 0)) continue;
    const lag = offsets.partitions.reduce((sum, p) => sum + Math.max(0, (high.get(p.partition) ?? 0) - Math.max(0, Number(p.offset))), 0);
    parts.push(`${groupId} lag ${formatCount(lag)}`);
  }
  return parts.length ? parts.join(', ') : 'no consumer group yet';
}

/** Replays the lab's payment stream into the `payments` topic, keyed by card, live rate and lag on screen. */
export async function streamCommand(ctx: CommandContext, labName: string, flags: StreamFlags): Promise<number> {
  const rate = positiveNumber(flags.rate, '--rate', '--rate 1000 (payments per second)');
  const duration = positiveNumber(flags.duration, '--duration', '--duration 30 (seconds)');
  const lab = await loadLab(labName);
  if (!lab.def.roles.includes('stream')) throw new LabError(`${lab.name} has no stream: \`lab stream\` replays month5's payments into Kafka.`, 'Try `lab up month5`, then `lab stream month5`.');
  const { stack, labState } = await attachStack(ctx, lab, `lab stream ${lab.name}`);
  const dataset = stack.datasets[0]!;
  const broker = await stack.service('stream');
  const kafka = broker.client('lab-stream');
  // On a shared cluster the topic is inside the learner's prefix.
  const topic = broker.name(PAYMENTS_TOPIC);
  const admin = kafka.admin();
  await admin.connect();
  const positionFile = path.join(ctx.paths.home, 'stream', `${lab.name}.json`);
  const datasetId = `${labState.seed}/${labState.scale}`;
  try {
    const exists = (await admin.listTopics()).includes(topic);
    if (flags.fromStart && exists) {
      await admin.deleteTopics({ topics: [topic] });
      // The broker removes a topic asynchronously: wait until it is gone before creating it again.
      for (let i = 0; i < 50 && (await admin.listTopics()).includes(topic); i++) await new Promise((r) => setTimeout(r, 100));
    }
    if (flags.fromStart || !exists) await broker.createTopics(admin, [{ topic, numPartitions: PAYMENTS_PARTITIONS }]);
    let saved: Position | undefined;
    try {
      saved = JSON.parse(fs.readFileSync(positionFile, 'utf8')) as Position;
    } catch {
      saved = undefined;
    }
    const from = !flags.fromStart && exists && saved?.dataset === datasetId ? saved.next : 0;
    const session = await openDatasetSession(lab, dataset);
    const payments = await paymentsOf(session, from).finally(() => session.close());
    const total = from + payments.length;
    if (payments.length === 0) {
      ctx.output.result(`The whole stream (${formatCount(total)} payments) is already in ${topic}.`);
      ctx.output.result(`next: \`lab stream ${lab.name} --from-start\` replays it again from the first payment (the topic is emptied first)`);
      return 0;
    }
    ctx.output.info(
      `${pc.bold(`lab stream ${lab.name}`)} · ${formatCount(payments.length)} payments${from ? ` from #${formatCount(from)}` : ''} into ${topic} (${PAYMENTS_PARTITIONS} partitions, keyed by card) at ${rate ? `${formatCount(rate)}/s` : 'full speed'}${duration ? ` for ${duration} s` : ''} · Ctrl-C stops`,
    );
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    let lag = '';
    let lagging = false;
    const lagTimer = setInterval(() => {
      if (lagging) return;
      lagging = true;
      groupLags(admin, broker, topic)
        .then((l) => (lag = l))
        .catch(() => undefined)
        .finally(() => (lagging = false));
    }, 1_000);
    const line = (sent: number, ms: number) => `${formatCount(from + sent)}/${formatCount(total)} sent · ${formatCount(Math.round((sent / Math.max(ms, 1)) * 1000))}/s${lag ? ` · ${lag}` : ''}`;
    let lastPrinted = 0;
    const result = await replayPayments(kafka, topic, payments, {
      rate,
      durationMs: duration ? duration * 1000 : undefined,
      signal: controller.signal,
      onProgress: ({ sent, elapsedMs }) => {
        if (ctx.output.interactive) process.stderr.write(`\r\x1b[2K  ${line(sent, elapsedMs)}`);
        else if (elapsedMs - lastPrinted >= 5_000) {
          lastPrinted = elapsedMs;
          ctx.output.info(`  ${line(sent, elapsedMs)}`);
        }
      },
    }).finally(() => {
      clearInterval(lagTimer);
      process.removeListener('SIGINT', onSigint);
    });
    if (ctx.output.interactive) process.stderr.write('\r\x1b[2K');
    fs.mkdirSync(path.dirname(positionFile), { recursive: true });
    fs.writeFileSync(positionFile, JSON.stringify({ dataset: datasetId, next: from + result.sent } satisfies Position));
    lag = await groupLags(admin, broker, topic).catch(() => lag);
    const left = total - from - result.sent;
    ctx.output.result(
      `${pc.green('✓')} ${formatCount(result.sent)} payments into ${topic} in ${formatMs(result.elapsedMs)} (${formatCount(Math.round((result.sent / Math.max(result.elapsedMs, 1)) * 1000))}/s) · ${lag}`,
    );
    ctx.output.result(
      left > 0
        ? `next: ${formatCount(left)} payments left; \`lab stream ${lab.name}\` carries on from #${formatCount(from + result.sent)}`
        : `next: \`lab detect ${lab.name} <exercise>\` runs your detector on it (alerts go to topic alerts)`,
    );
    return 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
