import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/pids.js';
import { freePort } from '../../src/runtime/local/processes.js';
import { CLI, lab, scratchDir, type CliResult } from '../helpers.js';

/** PATH as it is, less one program: every other program of each folder is linked into a scratch one. */
function pathWithout(program: string): string {
  const bin = scratchDir(`no-${program}`);
  for (const dir of (process.env.PATH ?? '').split(':').filter((d) => fs.existsSync(d))) {
    for (const name of fs.readdirSync(dir)) {
      if (name === program || fs.existsSync(path.join(bin, name))) continue;
      fs.symlinkSync(path.join(dir, name), path.join(bin, name));
    }
  }
  return bin;
}

const servicePid = (cwd: string, service: string): number | undefined => {
  try {
    return (JSON.parse(fs.readFileSync(path.join(cwd, '.lab', 'month5', 'local', 'services', service, 'process.json'), 'utf8')) as { pid: number }).pid;
  } catch {
    return undefined;
  }
};

/** The detector processes a check started for this workspace: none may outlive it. */
const detectorsOf = (cwd: string): number[] =>
  fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
        return cmd.includes('host.js') && cmd.includes(cwd);
      } catch {
        return false;
      }
    })
    .map(Number);

const oneLine = (r: CliResult) => r.stderr.split('\n').filter((l) => l.startsWith('error: '));

// The bad inputs, each one clear line and nothing left running.
describe('month5: bad input, one clear line each, nothing left running', () => {
  const ports = async () => ({ LAB_LOCAL_KAFKA_PORT: String(await freePort()), LAB_LOCAL_REDIS_PORT: String(await freePort()) });

  it('no JDK: says so, and stops the redis-server it had started', async () => {
    const cwd = scratchDir('m5-nojdk');
    const r = await lab(['up', 'month5'], { cwd, env: { ...(await ports()), PATH: pathWithout('java') } });
    expect(r.code).toBe(1);
    expect(oneLine(r)).toEqual(['error: No JDK found: the local Kafka broker runs on Java 17 or newer.']);
    const redis = servicePid(cwd, 'redis');
    expect(redis === undefined || !isAlive(redis)).toBe(true);
  }, 120_000);

  it('no redis-server: says how to install it', async () => {
    const cwd = scratchDir('m5-noredis');
    const r = await lab(['up', 'month5'], { cwd, env: { ...(await ports()), PATH: pathWithout('redis-server') } });
    expect(r.code).toBe(1);
    expect(oneLine(r)).toEqual(['error: redis-server is not installed: the local runtime runs the feature store with it.']);
    expect(r.stderr).toContain('apt-get install redis-server');
  }, 120_000);

  it('the broker\'s port taken: names the port and the variable that moves it', async () => {
    const cwd = scratchDir('m5-port');
    const squatter = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const r = await lab(['up', 'month5'], { cwd, env: { ...(await ports()), LAB_LOCAL_KAFKA_PORT: String(port) } });
      expect(r.code).toBe(1);
      expect(oneLine(r)).toEqual([`error: Port ${port} on 127.0.0.1 is taken by another program: the local kafka cannot listen there.`]);
      expect(r.stderr).toContain('LAB_LOCAL_KAFKA_PORT=<port>');
      const redis = servicePid(cwd, 'redis');
      expect(redis === undefined || !isAlive(redis)).toBe(true);
    } finally {
      squatter.close();
    }
  }, 120_000);

  describe('on a running stack', () => {
    const cwd = scratchDir('m5-bad');
    const env: Record<string, string> = {};
    const detector = path.join(cwd, 'workspace', 'month5', '01-velocity', 'detector.ts');

    beforeAll(async () => {
      Object.assign(env, await ports());
      const up = await lab(['up', 'month5'], { cwd, env });
      expect(up.code, up.stderr).toBe(0);
    }, 240_000);

    afterAll(async () => {
      await lab(['down', 'month5'], { cwd, env });
    }, 60_000);

    it('a detector that writes malformed alerts fails the well-formed check, naming a message', async () => {
      fs.writeFileSync(detector, `import type { Detector } from 'lakehouse-lab/stream';\nconst d: Detector = { async onPayment(p) { return { event_id: p.event_id, rule: 'velocity', score: 'high' as unknown as number }; } };\nexport default d;\n`);
      const r = await lab(['check', 'month5', '01'], { cwd, env });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✗ alerts are well formed · seed 42 \(small\): [\d,]+ messages on the alerts topic are not \{"event_id", "rule", "score": number\}, e\.g\. "\{\\"event_id\\":\\"p-\d+\\",\\"rule\\":\\"velocity\\",\\"score\\":\\"high\\"\}"/);
      expect(detectorsOf(cwd)).toEqual([]);
    }, 180_000);

    it('a detector that never finishes a payment is stopped at the time limit, with what it committed', async () => {
      fs.writeFileSync(detector, `import type { Detector } from 'lakehouse-lab/stream';\nconst d: Detector = { onPayment: () => new Promise(() => undefined) };\nexport default d;\n`);
      const r = await lab(['check', 'month5', '01', '--timeout', '15'], { cwd, env });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('month5/01-velocity/detector.ts: stopped after 15 s: it committed no offset of');
      expect(detectorsOf(cwd)).toEqual([]);
    }, 180_000);

    it('the broker dying mid-check ends the check in one line, the detector stopped', async () => {
      fs.copyFileSync(path.resolve('labs/month5/exercises/01-velocity/solution/detector.ts'), detector);
      const child = spawn(process.execPath, [CLI, 'check', 'month5', '01', '--fresh'], { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      // Once the detector runs, the broker goes.
      for (let i = 0; i < 600 && detectorsOf(cwd).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(detectorsOf(cwd).length).toBeGreaterThan(0);
      process.kill(servicePid(cwd, 'kafka')!, 'SIGKILL');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(1);
      // The broker's failure, not the learner's: no grade, and how to bring it back.
      expect(stderr).toMatch(/^error: The Kafka broker at 127\.0\.0\.1:\d+ stopped answering during the check: nothing was graded\.\nhint: +`lab status month5` shows it; `lab up month5` starts it again\./m);
      expect(stdout).not.toMatch(/detector\.ts: KafkaJS/);
      expect((stdout + stderr).split('\n').filter((l) => /^\s+at /.test(l))).toEqual([]);
      for (let i = 0; i < 50 && detectorsOf(cwd).length; i++) await new Promise((r) => setTimeout(r, 100));
      expect(detectorsOf(cwd)).toEqual([]);
    }, 240_000);
  });
});
