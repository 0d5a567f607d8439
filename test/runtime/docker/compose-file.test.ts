import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { composeLabs, formatBytes, interpolate, LAB_LABEL, loadComposeFile, parseBytes, totalMemoryBytes } from '../../../src/runtime/docker/compose-file.js';

/** The Compose Specification's JSON schema, from its Go module (served by the Go module proxy). */
const COMPOSE_GO = 'github.com/compose-spec/compose-go/v2@v2.4.9';
function composeSchema(): object {
  const out = execFileSync('go', ['mod', 'download', '-json', COMPOSE_GO], { encoding: 'utf8', cwd: fs.mkdtempSync('/tmp/lab-gomod-') });
  const dir = (JSON.parse(out) as { Dir: string }).Dir;
  const schema = JSON.parse(fs.readFileSync(path.join(dir, 'schema', 'compose-spec.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema; // draft-07, Ajv's default; its URI there lacks the trailing '#' Ajv registers it under
  return schema;
}
let compiled: ValidateFunction | undefined;
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validator = () => (compiled ??= ajv.compile(composeSchema()));

const SIXTEEN_GIB = 16 * 1024 ** 3;
const labs = composeLabs();

describe('compose files', () => {
  it('there is one per lab, month1 to month6', () => {
    expect(labs).toEqual(['month1', 'month2', 'month3', 'month4', 'month5', 'month6']);
  });

  it('every file is valid against the Compose Specification schema', () => {
    const validate = validator();
    for (const lab of labs) {
      const ok = validate(loadComposeFile(lab).raw);
      expect(ok, `${lab}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it('the schema check catches a broken file', () => {
    const validate = validator();
    expect(validate({ services: { db: { image: 'postgres:16.4', ports: 5432, healthcheck: { test: 7 } } } })).toBe(false);
  });

  for (const lab of labs) {
    describe(lab, () => {
      const stack = loadComposeFile(lab);
      const text = fs.readFileSync(stack.file, 'utf8');

      it('pins every image to an exact version (never latest, never untagged)', () => {
        for (const s of stack.services) {
          const tag = /:([^/:@]+)$/.exec(s.image)?.[1] ?? (s.image.includes('@sha256:') ? 'digest' : undefined);
          expect(tag, `${s.name}: ${s.image} has no tag`).toBeDefined();
          expect(tag, `${s.name}: ${s.image}`).not.toMatch(/^(latest|stable|main|edge)$/);
          expect(tag, `${s.name}: ${s.image} is not a version`).toMatch(/\d/);
        }
      });

      it('gives every service a healthcheck, a memory limit and its lab label', () => {
        for (const s of stack.services) {
          expect(s.healthcheck, `${s.name} healthcheck`).toBe(true);
          expect(s.memLimitBytes, `${s.name} memory limit`).toBeGreaterThan(0);
          const labels = (stack.raw.services as Record<string, { labels?: Record<string, string> }>)[s.name]!.labels ?? {};
          expect(labels[LAB_LABEL], `${s.name} label`).toBe(lab);
        }
      });

      it('fits a 16 GiB laptop, and the total stated in the file is the real one', () => {
        const total = totalMemoryBytes(stack);
        expect(total).toBeLessThanOrEqual(SIXTEEN_GIB / 2 + 1024 ** 3); // leaves the laptop half its memory
        const stated = /Memory: .*= ([\d.]+ (?:GiB|MiB)) for the stack|the whole stack fits in ([\d.]+ (?:GiB|MiB))|Memory: [^\n]* ([\d.]+ (?:GiB|MiB)) for the stack/.exec(text);
        expect(stated, 'a "Memory: … for the stack" line').not.toBeNull();
        expect(stated!.slice(1).find(Boolean)).toBe(formatBytes(total));
      });

      it('publishes ports on 127.0.0.1 by default, each movable by a variable', () => {
        for (const s of stack.services) {
          for (const p of s.ports) {
            expect(p.hostIp, `${s.name}:${p.containerPort}`).toBe('127.0.0.1');
            expect(p.variable, `${s.name}:${p.containerPort} port variable`).toMatch(/^LAB_[A-Z0-9_]+_PORT$/);
          }
        }
        const ports = stack.services.flatMap((s) => s.ports.map((p) => p.hostPort));
        expect(new Set(ports).size).toBe(ports.length);
        const moved = loadComposeFile(lab, { LAB_BIND_ADDRESS: '0.0.0.0', [stack.services[0]!.ports[0]!.variable!]: '61234' });
        expect(moved.services[0]!.ports[0]).toMatchObject({ hostIp: '0.0.0.0', hostPort: 61234 });
      });

      it('keeps data in named volumes labelled with the data version, and no credential in the file', () => {
        const services = stack.raw.services as Record<string, { volumes?: string[]; environment?: Record<string, string> }>;
        for (const [name, svc] of Object.entries(services)) {
          for (const v of svc.volumes ?? []) {
            const source = v.split(':')[0]!;
            if (source.startsWith('.')) expect(v, `${name}: a bind mount must be read-only config`).toMatch(/:ro$/);
            // The one writable bind mount: the lab's own folder at the same path (a Spark server writes results there).
            else if (source.startsWith('${LAB_STACK_DIR')) expect(v, `${name}: the lab's folder, at the same path`).toBe('${LAB_STACK_DIR:-/nonexistent}:${LAB_STACK_DIR:-/nonexistent}');
            else expect(stack.volumes.map((x) => x.name), `${name}: ${source}`).toContain(source);
          }
          for (const [key, value] of Object.entries(svc.environment ?? {})) {
            if (/PASSWORD|SECRET|ACCESS_KEY|API_KEY|ALLOWED_KEYS/.test(key)) expect(String(value), `${name}.${key}`).toMatch(/^\$\{LAB_[A-Z0-9_]+:\?[^}]+\}$/);
          }
        }
        for (const v of stack.volumes) expect(v.version, `volume ${v.name}`).toMatch(/^\d+$/);
      });
    });
  }
});

describe('compose helpers', () => {
  it('interpolates like compose does', () => {
    expect(interpolate('${A:-x}-${B-y}-$${C}', { A: '', B: '' })).toBe('x--${C}');
    expect(interpolate('${A}', {})).toBe('');
    expect(() => interpolate('${PW:?set it}', {})).toThrow(/PW is not set: set it/);
  });

  it('reads memory sizes', () => {
    expect(parseBytes('512m')).toBe(512 * 1024 ** 2);
    expect(parseBytes('1536mb')).toBe(1.5 * 1024 ** 3);
    expect(parseBytes('2g')).toBe(2 * 1024 ** 3);
    expect(parseBytes('lots')).toBeUndefined();
  });
});
