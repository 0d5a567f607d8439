import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { findExercise, loadLab } from '../lab/load.js';
import { detectorCommand, isPythonDetector, sparkDetectorEnv } from '../stream/detector-command.js';
import { learnerFile, workspaceRelative } from '../workspace/workspace.js';
import { formatCount } from '../ui/output.js';
import { attachStack, type CommandContext } from './context.js';
import { PAYMENTS_TOPIC } from './stream.js';

export const ALERTS_TOPIC = 'alerts';
export const DEAD_LETTER_TOPIC = 'payments-dlq';
/** The group `lab detect` runs in: its offsets survive a restart, so a second run carries on. */
export const DETECTOR_GROUP = 'fraud-detector';
/** Alerts printed one by one before only the counts go on. */
const SHOWN_ALERTS = 20;

export interface DetectFlags {
  instances?: string;
  fromStart?: boolean;
}

/**
 * Runs the learner's detector by hand on the `payments` topic that `lab stream` fills: as its own
 * process (or several, in one consumer group), its alerts shown as they arrive, until Ctrl-C.
 */
export async function detectCommand(ctx: CommandContext, labName: string, exerciseQuery: string, flags: DetectFlags): Promise<number> {
  const instances = flags.instances === undefined ? 1 : Number(flags.instances);
  if (!Number.isInteger(instances) || instances < 1 || instances > 3) throw new LabError(`--instances must be 1, 2 or 3, not '${flags.instances}'.`, 'The payments topic has 3 partitions: a fourth instance would get none.');
  const lab = await loadLab(labName);
  const ex = findExercise(lab, exerciseQuery);
  if (ex.def.kind !== 'stream') throw new LabError(`${ex.id} is not a detector: \`lab detect\` runs month5's stream exercises.`, `Grade it with \`lab check ${lab.name} ${ex.id}\`.`);
  const file = learnerFile(ctx.paths, lab, ex);
  const checkpointed = ex.def.progress === 'checkpoint';
  if (checkpointed && instances > 1) throw new LabError('A Spark job is one query: --instances is for detectors in a consumer group.', 'Spark spreads the partitions over its own tasks; run it once.');
  if (!fs.existsSync(file)) throw new LabError(`No file ${workspaceRelative(lab, ex)}.`, `\`lab up ${lab.name}\` puts the templates back where they are missing; \`lab restore ${lab.name} ${ex.id}\` brings back a saved copy.`);
  const { stack } = await attachStack(ctx, lab, `lab detect ${lab.name}`);
  const broker = await stack.service('stream');
  const redis = await stack.service('cache');
  const kafka = broker.client('lab-detect');
  // On a shared cluster, the topics and the group are inside the learner's prefix.
  const [payments, alerts, deadLetters, group] = [PAYMENTS_TOPIC, ALERTS_TOPIC, DEAD_LETTER_TOPIC, DETECTOR_GROUP].map((n) => broker.name(n)) as [string, string, string, string];
  const admin = kafka.admin();
  await admin.connect();
  const topics = await admin.listTopics();
  if (!topics.includes(payments)) {
    await admin.disconnect();
    throw new LabError(`The ${PAYMENTS_TOPIC} topic is empty: nothing to detect yet.`, `Fill it first: \`lab stream ${lab.name}\` (in another terminal, \`--rate 500\` to watch it live).`);
  }
  // A Spark job's offsets are its checkpoint, kept per exercise like a consumer group's.
  const checkpoint = path.join(ctx.paths.home, 'detect', `${lab.name}-${ex.id}-checkpoint`);
  if (flags.fromStart) {
    fs.rmSync(checkpoint, { recursive: true, force: true });
    await admin.deleteGroups([group]).catch(() => undefined);
    const store = await redis.client({ database: redis.database('detect') });
    await store.flushDb();
    await store.quit();
  }
  await broker.createTopics(admin, [{ topic: alerts, numPartitions: 1 }, { topic: deadLetters, numPartitions: 1 }]).catch(() => undefined);
  await admin.disconnect();

  const python = isPythonDetector(file) ? await stack.service('python') : undefined;
  const env = {
    ...process.env,
    ...(checkpointed && python ? sparkDetectorEnv(checkpoint, python.sparkJars) : {}),
    LAB_KAFKA_BROKERS: broker.bootstrapServers,
    LAB_PAYMENTS_TOPIC: payments,
    LAB_ALERTS_TOPIC: alerts,
    LAB_DEAD_LETTER_TOPIC: deadLetters,
    LAB_GROUP_ID: group,
    LAB_REDIS_URL: redis.url(redis.database('detect')),
  };
  const run = detectorCommand(file, path.join(ctx.paths.home, 'detect-build'), python?.python);
  const children: ChildProcess[] = [];
  const exited: Array<number | null> = [];
  for (let i = 0; i < instances; i++) {
    const child = spawn(run.command, run.args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: run.group });
    const tag = instances > 1 ? pc.dim(`[${i + 1}] `) : '';
    child.stdout!.on('data', (c: Buffer) => process.stdout.write(c.toString().replace(/^(?=.)/gm, tag)));
    child.stderr!.on('data', (c: Buffer) => process.stderr.write(c.toString().replace(/^(?=.)/gm, tag)));
    child.on('exit', (code) => exited.push(code));
    children.push(child);
  }
  ctx.output.info(
    `${pc.bold(`lab detect ${lab.name} ${ex.id}`)} · ${instances} instance${instances > 1 ? 's' : ''} of ${workspaceRelative(lab, ex)} ${checkpointed ? `checkpointed in ${path.relative(process.cwd(), checkpoint)}` : `in group ${group}`}, reading ${payments}, writing ${alerts} · Ctrl-C stops`,
  );

  // A reader of the alerts topic from its current end: what this run writes.
  const tail = kafka.consumer({ groupId: `lab-detect-tail-${process.pid}`, maxWaitTimeInMs: 100 });
  await tail.connect();
  await tail.subscribe({ topic: alerts, fromBeginning: false });
  const byRule = new Map<string, number>();
  let seen = 0;
  void tail.run({
    eachMessage: async ({ message }) => {
      seen++;
      let rule = '?';
      try {
        const alert = JSON.parse(message.value?.toString() ?? '') as { event_id?: string; rule?: string; score?: number };
        rule = String(alert.rule ?? '?');
        if (seen <= SHOWN_ALERTS) ctx.output.result(`  alert ${alert.event_id} ${pc.yellow(rule)} score ${alert.score}`);
      } catch {
        if (seen <= SHOWN_ALERTS) ctx.output.result(`  ${pc.red('not JSON:')} ${message.value?.toString().slice(0, 80)}`);
      }
      byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
      if (seen === SHOWN_ALERTS) ctx.output.info(pc.dim(`  … only the counts from here on`));
    },
  });

  const stopAll = () => {
    for (const c of children) {
      if (c.exitCode !== null) continue;
      // A Spark job's JVM is in the script's process group: it stops with it.
      try {
        if (run.group && c.pid) process.kill(-c.pid, 'SIGTERM');
        else c.kill('SIGTERM');
      } catch {
        // it has just exited
      }
    }
  };
  process.once('SIGINT', stopAll);
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (exited.length === children.length) {
        clearInterval(timer);
        resolve();
      }
    }, 200);
  });
  await tail.disconnect().catch(() => undefined);
  const counts = [...byRule].map(([rule, n]) => `${rule} ${formatCount(n)}`).join(', ');
  ctx.output.result(`${seen ? pc.green('✓') : pc.dim('·')} ${formatCount(seen)} alerts written by this run${counts ? ` (${counts})` : ''}`);
  const failed = exited.filter((code) => code !== 0 && code !== null && code !== 130);
  if (failed.length) {
    ctx.output.result(`${pc.red('✗')} the detector exited with code ${failed[0]}: its error is above`);
    return 1;
  }
  ctx.output.result(`next: \`lab check ${lab.name} ${ex.id}\` grades it against the hidden labels; \`lab detect ${lab.name} ${ex.id} --from-start\` forgets its offsets and features`);
  return 0;
}
