import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import pc from 'picocolors';
import { LabError } from '../errors.js';
import { listLabNames, loadLab, type LoadedLab } from '../lab/load.js';
import { findComposeCli } from '../runtime/docker/compose-cli.js';
import { composeLabs, formatBytes, loadComposeFile, totalMemoryBytes } from '../runtime/docker/compose-file.js';
import { connectEngine, findEngine } from '../runtime/docker/engine.js';
import { MIN_PYTHON, pythonVersion, systemPython } from '../services/python/python.js';
import type { CommandContext } from './context.js';

export interface Finding {
  item: string;
  ok: boolean;
  /** Missing but not needed by the labs asked about: a warning, not a failure. */
  required: boolean;
  detail: string;
  fix?: string;
}

const atLeast = (version: string, min: number[]) => {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < min.length; i++) {
    if ((parts[i] ?? 0) !== min[i]) return (parts[i] ?? 0) > min[i]!;
  }
  return true;
};

function javaVersion(): string | undefined {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.status !== 0) return undefined;
  return /version "([^"]+)"/.exec(out.stderr)?.[1];
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}


export async function diagnose(labs: LoadedLab[]): Promise<Finding[]> {
  const needPython = labs.some((l) => l.def.needs.python);
  const needJdk = labs.some((l) => l.def.needs.jdk);
  const memoryGiB = Math.max(1, ...labs.map((l) => l.def.needs.memoryGiB));
  const findings: Finding[] = [];

  const node = process.versions.node;
  findings.push({ item: 'Node.js 20+', ok: atLeast(node, [20]), required: true, detail: `v${node}`, fix: 'Install Node.js 20 or newer (https://nodejs.org or your package manager).' });

  const py = pythonVersion();
  const venvOk = py ? spawnSync(systemPython(), ['-c', 'import venv, ensurepip'], { encoding: 'utf8' }).status === 0 : false;
  findings.push({
    item: `Python ${MIN_PYTHON.join('.')}+ with venv`,
    ok: Boolean(py && atLeast(py, MIN_PYTHON) && venvOk),
    required: needPython,
    detail: py ? `${systemPython()} ${py}${venvOk ? '' : ' (venv/ensurepip missing)'}` : `${systemPython()} not found`,
    fix: 'Install Python 3 with venv (Debian/Ubuntu: apt-get install python3 python3-venv), or set LAB_PYTHON.',
  });

  const java = javaVersion();
  findings.push({
    item: 'JDK 17+ (Kafka, Spark, Trino labs)',
    ok: Boolean(java && atLeast(java, [17])),
    required: needJdk,
    detail: java ? `java ${java}` : 'java not found',
    fix: 'Install a JDK 17+ (Debian/Ubuntu: apt-get install openjdk-17-jdk-headless).',
  });

  // The docker runtime: an engine that answers, and a compose CLI that reaches it.
  let engineDetail = 'no DOCKER_HOST, Docker socket or Podman socket';
  let engineOk = false;
  let engineMemory: number | undefined;
  if (findEngine()) {
    try {
      const engine = await connectEngine();
      engineOk = true;
      engineMemory = engine.version.memTotalBytes;
      engineDetail = `${engine.version.name} ${engine.version.version} at ${engine.endpoint.address} (${formatBytes(engine.version.memTotalBytes)})`;
    } catch (err) {
      engineDetail = err instanceof LabError ? err.message : String(err);
    }
  }
  findings.push({
    item: 'container engine (docker runtime only)',
    ok: engineOk,
    required: false,
    detail: engineDetail,
    fix: 'Optional: Docker, or Podman serving the Docker API (`podman system service --time=0 unix:///run/podman/podman.sock &` and DOCKER_HOST=unix:///run/podman/podman.sock); the local runtime needs none.',
  });
  const compose = findComposeCli();
  findings.push({
    item: 'compose CLI (docker runtime only)',
    ok: Boolean(compose),
    required: false,
    detail: compose ? `${compose.name} ${compose.version}` : 'none of `docker compose`, `docker-compose`, `podman compose`',
    fix: 'Optional: `apt-get install docker-compose`, or the Docker Compose plugin.',
  });
  // `lab images build`: stand-ins for the upstream images, for machines that reach no image registry.
  const builders = [
    ['debootstrap', ['--version']],
    ['mvn', ['-v']],
    ['go', ['version']],
  ] as const;
  const missingBuilders = builders.filter(([cmd, args]) => spawnSync(cmd, [...args], { encoding: 'utf8' }).status !== 0).map(([cmd]) => cmd);
  findings.push({
    item: 'image build tools (lab images build only)',
    ok: missingBuilders.length === 0,
    required: false,
    detail: missingBuilders.length ? `missing ${missingBuilders.join(', ')}` : 'debootstrap, mvn, go',
    fix: `Optional, for --local-images where no image registry is reachable: apt-get install ${missingBuilders.map((c) => ({ debootstrap: 'debootstrap', mvn: 'maven', go: 'golang' })[c]).join(' ')} (debootstrap needs root).`,
  });
  if (engineOk) {
    for (const lab of labs) {
      if (!composeLabs().includes(lab.name)) continue;
      const stack = loadComposeFile(lab.name, process.env);
      const need = totalMemoryBytes(stack);
      findings.push({
        item: `engine memory for ${lab.name}'s stack`,
        ok: (engineMemory ?? 0) >= need,
        required: false,
        detail: `needs ${formatBytes(need)}, engine has ${formatBytes(engineMemory ?? 0)}`,
        fix: `Give the engine at least ${formatBytes(need + 1024 ** 3)}, or use the local runtime.`,
      });
    }
  }

  const freeGiB = os.freemem() / 2 ** 30;
  findings.push({
    item: `free memory ≥ ${memoryGiB} GiB`,
    ok: freeGiB >= memoryGiB,
    required: true,
    detail: `${freeGiB.toFixed(1)} GiB free of ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    fix: 'Close other programs, or use `--scale small`.',
  });

  const stat = fs.statfsSync(process.cwd());
  const diskGiB = (stat.bavail * stat.bsize) / 2 ** 30;
  findings.push({ item: 'free disk ≥ 2 GiB', ok: diskGiB >= 2, required: true, detail: `${diskGiB.toFixed(1)} GiB free here`, fix: 'Free disk space; `lab down <lab> --purge` removes a lab\'s data.' });

  for (const lab of labs) {
    for (const port of lab.def.needs.ports ?? []) {
      const free = await portFree(port);
      findings.push({ item: `port ${port} free (${lab.name})`, ok: free, required: true, detail: free ? 'free' : 'in use', fix: `Stop what listens on ${port} (\`ss -ltnp 'sport = :${port}'\` shows it).` });
    }
  }
  return findings;
}

export async function doctorCommand(ctx: CommandContext, labName: string | undefined): Promise<number> {
  const labs = labName ? [await loadLab(labName)] : await Promise.all(listLabNames().map((n) => loadLab(n)));
  ctx.output.result(pc.bold(`lab doctor${labName ? ` ${labName}` : ''}`) + pc.dim(` — what ${labs.map((l) => l.name).join(', ')} need${labs.length === 1 ? 's' : ''} and what this machine has`));
  const findings = await diagnose(labs);
  for (const f of findings) {
    const mark = f.ok ? pc.green('✓') : f.required ? pc.red('✗') : pc.yellow('!');
    ctx.output.result(`${mark} ${f.item.padEnd(42)} ${pc.dim(f.detail)}`);
    if (!f.ok && f.fix) ctx.output.result(`    fix: ${f.fix}`);
  }
  const blocking = findings.filter((f) => !f.ok && f.required);
  ctx.output.result('');
  ctx.output.result(blocking.length ? pc.red(`${blocking.length} problem${blocking.length > 1 ? 's' : ''} to fix before \`lab up\``) : pc.green(`ready: \`lab up ${labName ?? 'month1'}\` to start`));
  return blocking.length ? 1 : 0;
}
