import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { LabError } from '../../errors.js';
import { formatMs, type Output } from '../../ui/output.js';
import { COMPOSE_DIR, type ComposeStackFile } from './compose-file.js';
import { systemPython } from '../../services/python/python.js';
import { localImageRecipes } from '../../services/registry.js';
import type { ConnectedEngine } from './engine.js';
import { fetchStep } from '../../services/fetch.js';

const execFileAsync = promisify(execFile);

export const IMAGES_DIR = path.join(COMPOSE_DIR, 'images');
/** Recipes start FROM one of these; the suite (bookworm, or trixie for a newer Java) is debootstrapped on demand. */
const BASE_IMAGE_PATTERN = /^FROM\s+localhost\/lakehouse-lab\/debian:(\w+)\s*$/m;
const baseImage = (suite: string) => `localhost/lakehouse-lab/debian:${suite}`;
const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';


export interface LocalImage {
  service: string;
  upstream: string;
  recipe: string;
  /** localhost/lakehouse-lab/<recipe>:<hash of the recipe>, so a changed recipe is rebuilt. */
  tag: string;
}

function recipeHash(recipe: string): string {
  const dir = path.join(IMAGES_DIR, recipe);
  const hash = crypto.createHash('sha256');
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
  for (const f of files) hash.update(f).update(fs.readFileSync(path.join(dir, f)));
  return hash.digest('hex').slice(0, 12);
}

/** The Debian suite a recipe's Containerfile starts from. */
function recipeSuite(recipe: string): string {
  const match = BASE_IMAGE_PATTERN.exec(fs.readFileSync(path.join(IMAGES_DIR, recipe, 'Containerfile'), 'utf8'));
  if (!match) throw new Error(`compose/images/${recipe}/Containerfile must start FROM localhost/lakehouse-lab/debian:<suite>`);
  return match[1]!;
}

/** The local images a stack needs; a service whose image has no recipe is named, with what to do. */
export function localImagesFor(stack: ComposeStackFile, only?: string[]): LocalImage[] {
  const services = only?.length ? stack.services.filter((s) => only.includes(s.name)) : stack.services;
  const unknown = (only ?? []).filter((name) => !stack.services.some((s) => s.name === name));
  if (unknown.length) throw new LabError(`${stack.lab}'s stack has no service ${unknown.join(', ')}.`, `Services: ${stack.services.map((s) => s.name).join(', ')}.`);
  const recipes = localImageRecipes();
  const missing = services.filter((s) => !recipes[s.image]);
  if (missing.length) {
    throw new LabError(
      `No local image recipe yet for ${missing.map((s) => `${s.name} (${s.image})`).join(', ')} in ${stack.lab}.`,
      `Pull the upstream images instead (drop --local-images), or run ${stack.lab} on the local runtime.`,
    );
  }
  return services.map((s) => {
    const recipe = recipes[s.image]!;
    return { service: s.name, upstream: s.image, recipe, tag: `localhost/lakehouse-lab/${recipe}:${recipeHash(recipe)}` };
  });
}

async function imageExists(engine: ConnectedEngine, tag: string): Promise<boolean> {
  try {
    await engine.docker.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Follows a build or import stream to its end; an error in the stream rejects with the build's last lines. */
function followProgress(engine: ConnectedEngine, stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  const tail: string[] = [];
  return new Promise((resolve, reject) => {
    engine.builder.modem.followProgress(
      stream,
      (err: Error | null, events: Array<{ error?: string }>) => {
        const failed = err?.message ?? events.find((e) => e.error)?.error;
        if (failed) reject(new Error(`${failed.trim()}\n${tail.join('\n')}`));
        else resolve();
      },
      (event: { stream?: string; status?: string; error?: string }) => {
        const text = (event.stream ?? event.status ?? '').trimEnd();
        for (const line of text.split('\n')) {
          if (!line.trim()) continue;
          tail.push(line);
          if (tail.length > 15) tail.shift();
          onLine(line);
        }
      },
    );
  });
}

/** The Debian base every local image starts from: debootstrap into a folder, imported as an image. */
async function buildBase(engine: ConnectedEngine, output: Output, suite: string): Promise<void> {
  const image = baseImage(suite);
  if (await imageExists(engine, image)) return;
  if (process.getuid?.() !== 0) {
    throw new LabError('Building the Debian base image needs root (debootstrap creates device files).', 'Run `sudo lab images build <lab>` once; later builds reuse the base.');
  }
  try {
    await execFileAsync('debootstrap', ['--version']);
  } catch {
    throw new LabError('debootstrap is not installed: it builds the Debian base of the local images.', 'Install it: `apt-get install debootstrap`.');
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-rootfs-'));
  const done = output.progress().start(`base image ${image} (debootstrap ${suite})`);
  try {
    await execFileAsync('debootstrap', ['--variant=minbase', suite, root, process.env.LAB_DEBIAN_MIRROR ?? DEFAULT_DEBIAN_MIRROR], { maxBuffer: 64 * 1024 * 1024 });
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = image.split(/:(?=[^:]+$)/) as [string, string];
    const stream = await engine.builder.importImage(tar.stdout as unknown as string, { repo, tag });
    await followProgress(engine, stream, () => undefined);
    if (!(await imageExists(engine, image))) {
      // Podman's Docker-compatible import ignores `tag` and tags :latest; retag it as asked.
      await engine.docker.getImage(`${repo}:latest`).tag({ repo, tag });
      await engine.docker.getImage(`${repo}:latest`).remove().catch(() => undefined);
    }
    done('imported');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A build context: the recipe folder, plus jars from Maven Central when the recipe has a pom.xml,
 * binaries built with `go install` from the Go module proxy when it has a go-install file, and
 * wheels from PyPI when it has a pip-wheels file (built here) or a pip-binary-wheels file (compiled
 * ones, downloaded for the image's Python).
 */
async function prepareContext(recipe: string, output: Output): Promise<string> {
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), `lab-image-${recipe}-`));
  fs.cpSync(path.join(IMAGES_DIR, recipe), ctx, { recursive: true });
  try {
    const goInstall = path.join(ctx, 'go-install');
    if (fs.existsSync(goInstall)) {
      for (const spec of fs.readFileSync(goInstall, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))) {
        await fetchStep(output, `${recipe}: go install ${spec} (from the Go module proxy; a few minutes the first time)`, 'go', ['install', spec], {
          cwd: ctx,
          env: { ...process.env, GOBIN: path.join(ctx, 'bin'), CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
          missing: [`Go is needed to build the ${recipe} image (go install ${spec}).`, 'Install Go 1.24+ (https://go.dev/dl or `apt-get install golang`).'],
          failed: [`go install ${spec} failed`, 'Check that the Go module proxy is reachable (GOPROXY).'],
        });
      }
    }
    const pipWheels = path.join(ctx, 'pip-wheels');
    if (fs.existsSync(pipWheels)) {
      // Fetched here, not in the build: this machine's pip settings (index, proxy, certificates) apply.
      const wheels = path.join(ctx, 'wheels');
      await fetchStep(output, `${recipe}: Python wheels from PyPI`, systemPython(), ['-m', 'pip', 'wheel', '--disable-pip-version-check', '--wheel-dir', wheels, '-r', pipWheels], {
        cwd: ctx,
        missing: [`Python is needed to fetch the ${recipe} image's packages.`, 'Install Python 3 with pip, or point LAB_PYTHON at one.'],
        failed: [`Fetching the ${recipe} image's Python packages failed`, 'Check that PyPI is reachable (or set PIP_INDEX_URL to a mirror).'],
        summary: () => `${fs.readdirSync(wheels).length} wheels`,
      });
    }
    const binaryWheels = path.join(ctx, 'pip-binary-wheels');
    if (fs.existsSync(binaryWheels)) {
      // Compiled packages for the image's Python (bookworm's 3.11) on this machine's architecture, not this machine's Python.
      const wheels = path.join(ctx, 'wheels');
      const arch = process.arch === 'arm64' ? 'aarch64' : 'x86_64';
      const platforms = ['manylinux_2_28', 'manylinux_2_17', 'manylinux2014'].flatMap((p) => ['--platform', `${p}_${arch}`]);
      await fetchStep(output, `${recipe}: compiled Python wheels for the image (${arch}) from PyPI`, systemPython(), ['-m', 'pip', 'download', '--disable-pip-version-check', '--only-binary=:all:', '--python-version', '3.11', '--implementation', 'cp', '--abi', 'cp311', ...platforms, '--dest', wheels, '-r', binaryWheels], {
        cwd: ctx,
        missing: [`Python is needed to fetch the ${recipe} image's packages.`, 'Install Python 3 with pip, or point LAB_PYTHON at one.'],
        failed: [`Fetching the ${recipe} image's compiled Python packages failed`, 'Check that PyPI is reachable (or set PIP_INDEX_URL to a mirror).'],
        summary: () => `${fs.readdirSync(wheels).length} wheels`,
      });
    }
    if (fs.existsSync(path.join(ctx, 'pom.xml'))) {
      const libs = path.join(ctx, 'libs');
      await fetchStep(output, `${recipe}: jars from Maven Central`, 'mvn', ['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libs}`], {
        cwd: ctx,
        missing: [`Maven (mvn) is needed to fetch the ${recipe} image's jars.`, 'Install it: `apt-get install maven` (and a JDK).'],
        failed: [`Fetching the ${recipe} image's jars from Maven Central failed`, 'Check that Maven Central is reachable (a proxy in ~/.m2/settings.xml?).'],
        summary: () => `${fs.readdirSync(libs).length} jars`,
      });
    }
    return ctx;
  } catch (err) {
    fs.rmSync(ctx, { recursive: true, force: true });
    throw err;
  }
}

/** Builds (once) every local image a stack needs; images already built from the same recipe are reused. */
export async function buildLocalImages(engine: ConnectedEngine, stack: ComposeStackFile, output: Output, opts: { force?: boolean; services?: string[] } = {}): Promise<LocalImage[]> {
  const images = localImagesFor(stack, opts.services);
  const todo: LocalImage[] = [];
  for (const image of images) {
    if (opts.force || !(await imageExists(engine, image.tag))) {
      if (!todo.some((t) => t.tag === image.tag)) todo.push(image);
    } else {
      output.info(`  ✓ ${image.service}: ${image.tag} (already built)`);
    }
  }
  if (todo.length === 0) return images;
  for (const suite of new Set(todo.map((t) => recipeSuite(t.recipe)))) await buildBase(engine, output, suite);
  for (const image of todo) {
    const t0 = performance.now();
    const ctx = await prepareContext(image.recipe, output);
    const build = async () => {
      const stream = await engine.builder.buildImage(
        { context: ctx, src: fs.readdirSync(ctx) },
        { t: image.tag, dockerfile: 'Containerfile', networkmode: 'host', rm: true, forcerm: true, labels: { 'io.lakehouse-lab.recipe': image.recipe } },
      );
      await followProgress(engine, stream, (line) => {
        if (/^(STEP|Step) \d+/.test(line)) output.info(`      ${line.slice(0, 110)}`);
      });
    };
    const done = output.progress().start(`${image.service}: building ${image.tag}`);
    try {
      try {
        await build();
      } catch (err) {
        // A mirror hiccup or a busy engine fails one step now and then; the finished layers are reused.
        output.info(`      ${image.service}: the build failed (${(err as Error).message.trim().split('\n')[0]!.slice(0, 100)}); trying once more`);
        await build();
      }
      done(formatMs(performance.now() - t0));
    } catch (err) {
      // The engine's error first (it says what failed), then the build's last lines (where).
      const [reason, ...tail] = (err as Error).message.trim().split('\n');
      throw new LabError(`Building the local ${image.recipe} image failed: ${[reason, ...tail.slice(-3)].join(' | ')}`, 'Check that Debian\'s package mirror is reachable, then run `lab images build` again.');
    } finally {
      fs.rmSync(ctx, { recursive: true, force: true });
    }
  }
  return images;
}

/** Writes the override file that swaps each upstream image for its local build; every image must exist. */
export async function writeLocalImagesOverride(engine: ConnectedEngine, stack: ComposeStackFile, file: string, services?: string[]): Promise<string> {
  const images = localImagesFor(stack, services);
  const absent = [];
  for (const image of images) if (!(await imageExists(engine, image.tag))) absent.push(image);
  if (absent.length) {
    throw new LabError(
      `The local images of ${stack.lab} are not built yet (${absent.map((i) => i.service).join(', ')}).`,
      `Build them once with \`lab images build ${stack.lab}\` (from package registries only), then run this again.`,
    );
  }
  const override = { services: Object.fromEntries(images.map((i) => [i.service, { image: i.tag }])) };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `# Generated by lab: ${stack.lab}'s services on images built locally by \`lab images build ${stack.lab}\`.\n${stringify(override)}`);
  return file;
}
