/**
 * `npm run bench` (third part): month5 on the local runtime (a Kafka broker on the JDK, redis-server).
 *   up (warm):        `lab up month5` with the broker's jars already cached — target ≤ 10 s
 *   producer:         the medium stream into a 3-partition topic, batched (lab stream's way) — target ≥ 50,000 payments/s —
 *                     against one message per request, the ratio printed as the lesson
 *   latency:          the reference velocity detector at 1,000 payments/s, event sent → alert written — target p99 < 100 ms
 *   feature read:     the velocity rule's Redis round trip (ZADD + EXPIRE + ZCOUNT in one MULTI) — target p99 < 5 ms
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { createClient } from 'redis';
import { generatePayments } from '../../datasets/payments/generate.js';
import { freePort } from '../../src/runtime/local/processes.js';
import { createServedTopics } from '../../src/services/kafka.js';
import { replayPayments, type KeyedPayment } from '../../src/stream/replay.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = path.join(root, 'dist', 'src', 'cli.js');
const host = path.join(root, 'dist', 'src', 'stream', 'host.js');
const kafkaPort = await freePort();
const redisPort = await freePort();
const env = { ...process.env, NO_COLOR: '1', LAB_LOCAL_KAFKA_PORT: String(kafkaPort), LAB_LOCAL_REDIS_PORT: String(redisPort) };

function lab(cwd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`lab ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}\n`);
    process.exit(1);
  }
  return performance.now() - t0;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-bench-m5-'));
const rows: string[] = [];
try {
  // Cold first (fetches the jars into LAB_DOWNLOADS if needed), then down and up again: the warm start.
  lab(cwd, ['up', 'month5']);
  lab(cwd, ['down', 'month5']);
  const upMs = lab(cwd, ['up', 'month5']);
  rows.push(`lab up month5 (warm jar cache, seeded data kept)   ${(upMs / 1000).toFixed(2)} s  ${upMs <= 10_000 ? '✓' : '✗'} target ≤ 10 s`);

  const stream = generatePayments(42, 'medium');
  const payments: KeyedPayment[] = stream.payments.map((p) => [
    p.card_id,
    JSON.stringify({ event_id: p.event_id, card_id: p.card_id, account_id: p.account_id, merchant_id: p.merchant_id, merchant_category: p.merchant_category, amount: p.amount_cents / 100, currency: p.currency, country: p.country, device_id: p.device_id, event_time: new Date(p.event_time).toISOString() }),
  ]);
  const kafka = new Kafka({ clientId: 'lab-bench', brokers: [`127.0.0.1:${kafkaPort}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = (name: string) => createServedTopics(admin, [{ topic: name, numPartitions: 3 }]);

  await topic('bench.batched');
  const batched = await replayPayments(kafka, 'bench.batched', payments);
  const batchedRate = (batched.sent / batched.elapsedMs) * 1000;
  await topic('bench.single');
  const single = await replayPayments(kafka, 'bench.single', payments.slice(0, 5_000), { perMessage: true });
  const singleRate = (single.sent / single.elapsedMs) * 1000;
  rows.push(`producer, batched (${batched.sent.toLocaleString('en-US')} payments)          ${Math.round(batchedRate).toLocaleString('en-US')}/s  ${batchedRate >= 50_000 ? '✓' : '✗'} target ≥ 50,000/s`);
  rows.push(`producer, one message per request (5,000)        ${Math.round(singleRate).toLocaleString('en-US')}/s  → batching is ${(batchedRate / singleRate).toFixed(0)}× faster`);

  // The reference detector of exercise 01 at a fixed 1,000 payments/s, 30 s.
  await topic('bench.paced');
  await createServedTopics(admin, [{ topic: 'bench.alerts', numPartitions: 1 }]);
  const detector = spawn(process.execPath, ['--enable-source-maps', host, path.join(root, 'labs', 'month5', 'exercises', '01-velocity', 'solution', 'detector.ts'), path.join(cwd, 'build')], {
    env: { ...env, LAB_KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`, LAB_PAYMENTS_TOPIC: 'bench.paced', LAB_ALERTS_TOPIC: 'bench.alerts', LAB_GROUP_ID: 'bench.detector', LAB_REDIS_URL: `redis://127.0.0.1:${redisPort}/3` },
    stdio: ['ignore', 'ignore', fs.openSync(path.join(os.tmpdir(), 'lab-bench-m5-detector.log'), 'w')],
  });
  // Joined once the group is stable with a member.
  for (let i = 0; i < 100; i++) {
    const [g] = (await admin.describeGroups(['bench.detector'])).groups;
    if (g?.state === 'Stable') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let alertsSeen = 0;
  const tail = kafka.consumer({ groupId: `bench-tail-${process.pid}`, maxWaitTimeInMs: 20 });
  await tail.connect();
  await tail.subscribe({ topic: 'bench.alerts', fromBeginning: true });
  void tail.run({
    eachMessage: async ({ message }) => {
      alertsSeen++;
      const id = (JSON.parse(message.value!.toString()) as { event_id: string }).event_id;
      const at = sentAt.get(id);
      if (at !== undefined) latencies.push(Number(message.timestamp) - at);
    },
  });
  // The generator plants its bursts after the first hour of event time: this stretch holds some.
  const paced = payments.slice(60_000, 90_000);
  await replayPayments(kafka, 'bench.paced', paced, {
    rate: 1_000,
    onSent: (first, count, at) => {
      for (let i = first; i < first + count; i++) sentAt.set((JSON.parse(paced[i]![1]) as { event_id: string }).event_id, at);
    },
  });
  await new Promise((r) => setTimeout(r, 2_000));
  detector.kill('SIGTERM');
  await tail.disconnect();
  const p50 = quantile(latencies, 0.5);
  const p99 = quantile(latencies, 0.99);
  rows.push(`detector latency at 1,000/s (${latencies.length} of ${alertsSeen} alerts timed)          p50 ${p50} ms, p99 ${p99} ms  ${p99 < 100 ? '✓' : '✗'} target p99 < 100 ms`);

  const redis = createClient({ url: `redis://127.0.0.1:${redisPort}/4` });
  await redis.connect();
  const reads: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const key = `velocity:c-${i % 500}`;
    const t0 = performance.now();
    await redis.multi().zAdd(key, { score: i, value: `e-${i}` }).expire(key, 60).zCount(key, i - 60_000, i).exec();
    reads.push(performance.now() - t0);
  }
  await redis.flushDb();
  await redis.quit();
  const r99 = quantile(reads, 0.99);
  rows.push(`Redis feature read, MULTI of 3 (10,000)          p50 ${quantile(reads, 0.5).toFixed(2)} ms, p99 ${r99.toFixed(2)} ms  ${r99 < 5 ? '✓' : '✗'} target p99 < 5 ms`);
  await admin.disconnect();
} finally {
  spawnSync(process.execPath, [cli, 'down', 'month5'], { cwd, env });
  fs.rmSync(cwd, { recursive: true, force: true });
}

console.log(`\nmonth5 benchmark, local runtime, ${os.cpus().length} cores\n`);
for (const r of rows) console.log(r);
