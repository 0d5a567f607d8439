import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/pids.js';
import { freePort } from '../../src/runtime/local/processes.js';
import { CLI, lab, scratchDir } from '../helpers.js';

/** Processes by id with their process group, from /proc. */
function processes(): Array<{ pid: number; pgrp: number; cmd: string }> {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        return [{ pid: Number(d), pgrp: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]), cmd: fs.readFileSync(`/proc/${d}/cmdline`, 'utf8') }];
      } catch {
        return [];
      }
    });
}
const processGroupOf = (script: string) => processes().find((p) => p.cmd.includes(script))?.pgrp;
const membersOf = (pgrp: number) => processes().filter((p) => p.pgrp === pgrp).map((p) => p.pid);

// month5 by hand, as a learner meets it: the stream replayed into Kafka, a detector run on it, the broker's log.
describe('month5: lab stream, lab detect, lab logs on the local runtime', () => {
  const cwd = scratchDir('e2e-month5');
  const env: Record<string, string> = {};
  const servicePids = () =>
    ['kafka', 'redis'].map((s) => {
      try {
        return (JSON.parse(fs.readFileSync(path.join(cwd, '.lab', 'month5', 'local', 'services', s, 'process.json'), 'utf8')) as { pid: number }).pid;
      } catch {
        return undefined;
      }
    });

  beforeAll(async () => {
    env.LAB_LOCAL_KAFKA_PORT = String(await freePort());
    env.LAB_LOCAL_REDIS_PORT = String(await freePort());
    const up = await lab(['up', 'month5'], { cwd, env });
    expect(up.code, up.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await lab(['down', 'month5'], { cwd, env });
  }, 60_000);

  it('refuses a bad rate in one line', async () => {
    const r = await lab(['stream', 'month5', '--rate', 'fast'], { cwd, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: --rate must be a positive number, not 'fast'\.\nhint: +e\.g\. --rate 1000/);
  });

  it('says the topic is empty before anything was streamed', async () => {
    fs.copyFileSync(path.resolve('labs/month5/exercises/01-velocity/solution/detector.ts'), path.join(cwd, 'workspace', 'month5', '01-velocity', 'detector.ts'));
    const r = await lab(['detect', 'month5', '01'], { cwd, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The payments topic is empty: nothing to detect yet.');
    expect(r.stderr).toContain('lab stream month5');
  });

  it('replays at a fixed rate for a while, then carries on where it stopped, then says it is all there', async () => {
    const paced = await lab(['stream', 'month5', '--rate', '2000', '--duration', '1'], { cwd, env });
    expect(paced.code, paced.stderr).toBe(0);
    const sent = Number(/✓ ([\d,]+) payments into payments/.exec(paced.stdout)![1]!.replace(/,/g, ''));
    // Paced: about 2,000 in one second, far from the whole stream.
    expect(sent).toBeGreaterThan(1_000);
    expect(sent).toBeLessThan(3_500);
    expect(paced.stdout).toMatch(/payments left; `lab stream month5` carries on from #/);
    const rest = await lab(['stream', 'month5'], { cwd, env });
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stderr).toMatch(new RegExp(`payments from #${sent.toLocaleString('en-US')} into payments \\(3 partitions, keyed by card\\) at full speed`));
    const again = await lab(['stream', 'month5'], { cwd, env });
    expect(again.stdout).toMatch(/The whole stream \([\d,]+ payments\) is already in payments\./);
  }, 120_000);

  it('runs the detector by hand in two instances, shows its alerts, and stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, [CLI, 'detect', 'month5', 'velocity', '--instances', '2'], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    for (let i = 0; i < 300 && !/alert p-\d+ velocity/.test(stdout); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('2 instances of month5/01-velocity/detector.ts in group fraud-detector');
    expect(stdout).toMatch(/alert p-\d+ velocity score/);
    expect(stdout).toMatch(/✓ [\d,]+ alerts written by this run \(velocity [\d,]+\)/);
    expect(code).toBe(0);
    const status = await lab(['status', 'month5'], { cwd, env });
    expect(status.stdout).toMatch(/topics: alerts, payments, payments-dlq/);
    expect(status.stdout).toMatch(/fraud-detector lag/);
  }, 60_000);

  it('runs the Spark job of exercise 10 by hand, checkpointed, and Ctrl-C takes its JVM down with it', async () => {
    fs.copyFileSync(path.resolve('labs/month5/exercises/10-spark-velocity/solution/detector.py'), path.join(cwd, 'workspace', 'month5', '10-spark-velocity', 'detector.py'));
    const refused = await lab(['detect', 'month5', '10', '--instances', '2'], { cwd, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: A Spark job is one query: --instances is for detectors in a consumer group.');
    const child = spawn(process.execPath, [CLI, 'detect', 'month5', '10', '--from-start'], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    for (let i = 0; i < 1200 && !/alert p-\d+ velocity/.test(stdout); i++) await new Promise((r) => setTimeout(r, 100));
    // The job's process group: the Python script and the JVM it started.
    const group = processGroupOf(path.join(cwd, 'workspace', 'month5', '10-spark-velocity', 'detector.py'));
    expect(group).toBeDefined();
    expect(membersOf(group!).length).toBeGreaterThan(1);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/1 instance of month5\/10-spark-velocity\/detector\.py checkpointed in \.lab\/detect\/month5-10-spark-velocity-checkpoint/);
    expect(stdout).toMatch(/alert p-\d+ velocity score/);
    expect(code).toBe(0);
    for (let i = 0; i < 50 && membersOf(group!).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(membersOf(group!)).toEqual([]);
    expect(fs.existsSync(path.join(cwd, '.lab', 'detect', 'month5-10-spark-velocity-checkpoint', 'commits'))).toBe(true);
  }, 180_000);

  it('prints the local broker\'s log, and refuses a service it does not run', async () => {
    const r = await lab(['logs', 'month5', 'kafka', '--tail', '5'], { cwd, env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/INFO/);
    const bad = await lab(['logs', 'month5', 'zookeeper'], { cwd, env });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("month5 has no service 'zookeeper'.");
    expect(bad.stderr).toContain('Its services: ');
  });

  it('on the remote runtime keeps to the learner\'s namespace: topics and groups under alice.month5., Redis in the database of the URL', async () => {
    const home = scratchDir('e2e-month5-remote');
    const remote = { LAB_RUNTIME: 'remote', LAB_REMOTE_KAFKA_BROKERS: `127.0.0.1:${env.LAB_LOCAL_KAFKA_PORT}`, LAB_REMOTE_REDIS_URL: `redis://127.0.0.1:${env.LAB_LOCAL_REDIS_PORT}/7`, LAB_REMOTE_NAMESPACE: 'alice' };
    const kafka = new Kafka({ clientId: 'e2e-month5', brokers: [remote.LAB_REMOTE_KAFKA_BROKERS], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ownEnds = await admin.fetchTopicOffsets('payments');
      const up = await lab(['up', 'month5', '--runtime', 'remote'], { cwd: home, env: remote });
      expect(up.code, up.stderr).toBe(0);
      expect(up.stdout + up.stderr).toContain('topics alice.month5.*');
      expect(up.stdout + up.stderr).toMatch(/redis at 127\.0\.0\.1:\d+\/7/);
      const streamed = await lab(['stream', 'month5', '--rate', '2000', '--duration', '1'], { cwd: home, env: remote });
      expect(streamed.code, streamed.stderr).toBe(0);
      expect(streamed.stdout).toMatch(/payments into alice\.month5\.payments/);
      expect(await admin.listTopics()).toContain('alice.month5.payments');
      // The learner's own stack's topic on the same broker is untouched.
      expect(await admin.fetchTopicOffsets('payments')).toEqual(ownEnds);
      fs.copyFileSync(path.resolve('labs/month5/exercises/01-velocity/solution/detector.ts'), path.join(home, 'workspace', 'month5', '01-velocity', 'detector.ts'));
      const check = await lab(['check', 'month5', '01'], { cwd: home, env: remote });
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toContain('✓ 01-velocity');
      const down = await lab(['down', 'month5'], { cwd: home, env: remote });
      expect(down.code, down.stderr).toBe(0);
      expect(down.stdout + down.stderr).toMatch(/removed your namespace: 1 kafka topic alice\.month5\.\*/);
      const left = await admin.listTopics();
      expect(left.filter((t) => t.startsWith('alice.'))).toEqual([]);
      expect(left).toContain('payments');
    } finally {
      await admin.disconnect();
    }
  }, 240_000);

  it('lab down leaves nothing running', async () => {
    const pids = servicePids();
    expect(pids.every((p) => p !== undefined && isAlive(p))).toBe(true);
    const down = await lab(['down', 'month5'], { cwd, env });
    expect(down.code, down.stderr).toBe(0);
    expect(pids.some((p) => isAlive(p!))).toBe(false);
  }, 60_000);
});
