import fs from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { lab, scratchDir } from '../helpers.js';

const schema = JSON.parse(fs.readFileSync(path.resolve('src', 'compare', 'compare-report.schema.json'), 'utf8')) as Record<string, unknown>;
delete schema.$schema; // draft-07 is Ajv's default
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('lab compare, as a learner runs it', () => {
  it('lists the pairs, with what each needs', async () => {
    const r = await lab(['compare', '--list'], { cwd: scratchDir('compare-list') });
    expect(r.code).toBe(0);
    for (const id of ['row-loop', 'iterrows', 'n-plus-one', 'star-schema', 'bulk-load', 'column-scan', 'point-lookup', 'jsonl-vs-parquet', 'cron-vs-stream']) expect(r.stdout).toContain(id);
    expect(r.stdout).toMatch(/cron-vs-stream.*\n.*needs postgres, kafka/);
  });

  it('prints the contract JSON (schema-validated, ratio = backendMs / dataMs) and writes a Markdown report and an SVG chart per pair', async () => {
    const cwd = scratchDir('compare-json');
    const r = await lab(['compare', 'row-loop', 'jsonl-vs-parquet', 'point-lookup', '--scales', '200,2000', '--json'], { cwd });
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(r.code).toBe(0);
    expect(report.pairs.map((p: { id: string }) => p.id)).toEqual(['row-loop', 'jsonl-vs-parquet', 'point-lookup']);
    for (const pair of report.pairs) {
      expect(pair.sameAnswer).toBe(true);
      expect(pair.results.map((x: { scale: number }) => x.scale)).toEqual([200, 2000]);
      for (const x of pair.results) expect(x.ratio).toBeCloseTo(x.backendMs / x.dataMs, 6);
      expect(fs.readFileSync(path.join(cwd, '.lab', 'compare', `${pair.id}.svg`), 'utf8')).toMatch(/^<svg[^]*loop|^<svg[^]*Parquet|^<svg[^]*lookups/);
      expect(fs.readFileSync(path.join(cwd, '.lab', 'compare', `${pair.id}.md`), 'utf8')).toContain(`![${pair.id}](${pair.id}.svg)`);
    }
    const sizes = report.pairs[1].results[1].sizes;
    expect(sizes['JSON lines']).toBeGreaterThan(sizes['Parquet by month']);
  });

  it('prints a table per pair and names the reports on the last line', async () => {
    const cwd = scratchDir('compare-text');
    const r = await lab(['compare', 'row-loop', '--scales', '100,1000'], { cwd });
    expect(r.code).toBe(0);
    // Progress names the pair, the side and the scale (on stderr, so --json stays clean).
    expect(r.stderr).toMatch(/row-loop · loop over rows in Node · 1,000 rows · median/);
    expect(r.stdout).toMatch(/rows\s+backend: loop over rows in Node\s+data: one aggregate in DuckDB\s+data habit is/);
    expect(r.stdout).toMatch(/1,000\s+\S+ m?s ± .*× (faster|slower)/);
    expect(r.stdout.trim().split('\n').pop()).toBe('reports: .lab/compare/row-loop.md (charts beside them)');
  });

  it('refuses bad input in one line, before starting anything', async () => {
    const cwd = scratchDir('compare-bad');
    const cases: Array<[string[], RegExp]> = [
      [['compare', 'no-such-pair'], /^error: No pair 'no-such-pair'\.\nhint: {2}The pairs: row-loop, /],
      [['compare', 'row-loop', '--scales', '1e4,lots'], /^error: --scales takes row counts from 10 to 10\^8, like 1e4,1e5,1e6: 'lots' is not one\./],
      [['compare', 'row-loop', '--runs', '2'], /^error: --runs must be a number of at least 5, not '2'\./],
      [['compare', 'row-loop', '--budget', 'soon'], /^error: --budget must be a number/],
    ];
    for (const [args, message] of cases) {
      const r = await lab(args, { cwd });
      expect({ args, code: r.code }).toEqual({ args, code: 1 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(fs.existsSync(path.join(cwd, '.lab', 'compare'))).toBe(false);
  });
});

describe('lab compare, interrupted', () => {
  it('Ctrl-C mid-run stops the side and the Postgres it started, and exits 130', async () => {
    const { spawn } = await import('node:child_process');
    const net = await import('node:net');
    const cwd = scratchDir('compare-interrupt');
    const child = spawn(process.execPath, [path.resolve('dist', 'src', 'cli.js'), 'compare', 'bulk-load', '--scales', '5000', '--budget', '120'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const port = await new Promise<number>((resolve) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        // The INSERT side runs for a minute at this scale: interrupt once its data is prepared.
        const m = /postgres: starting on 127\.0\.0\.1:(\d+)[^]*data prepared/.exec(stderr);
        if (m) resolve(Number(m[1]));
      });
    });
    await new Promise((r) => setTimeout(r, 1_500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(130);
    expect(stderr).toContain('interrupted: stopping the sides and the engines this command started');
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    expect(open).toBe(false);
  });
});
