import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { formatMs } from '../ui/output.js';
import { describeGrowth, describeRatio } from './measure.js';
import { scaleLabel, type PairResult, type SideOutcome } from './run.js';

/** The `lab compare --json` contract (version 1): other tools read it. */
export const COMPARE_REPORT_VERSION = 1;

export interface CompareJson {
  version: number;
  pairs: Array<{
    id: string;
    title: string;
    sameAnswer: boolean;
    engines: Record<string, string>;
    skipped?: string;
    measures?: string;
    growth?: { backend?: number; data?: number };
    crossoverRows?: number;
    results: Array<{
      scale: number;
      backendMs: number | null;
      dataMs: number | null;
      ratio: number | null;
      backendSpreadMs: number | null;
      dataSpreadMs: number | null;
      backendStatus: string;
      dataStatus: string;
      backendRangeMs?: [number, number];
      dataRangeMs?: [number, number];
      also?: Array<{ label: string; ms: number | null; status: string }>;
      sizes?: Record<string, number>;
    }>;
  }>;
}

const ms = (o: SideOutcome) => o.timing?.medianMs ?? null;
const spread = (o: SideOutcome) => o.timing?.madMs ?? null;
const range = (o: SideOutcome): [number, number] | undefined => (o.timing ? [o.timing.minMs, o.timing.maxMs] : undefined);

export function toJson(results: PairResult[]): CompareJson {
  return {
    version: COMPARE_REPORT_VERSION,
    pairs: results.map((r) => ({
      id: r.pair.id,
      title: r.pair.title,
      sameAnswer: r.sameAnswer,
      engines: r.engines,
      ...(r.skipped ? { skipped: r.skipped } : {}),
      ...(r.pair.measures ? { measures: r.pair.measures } : {}),
      growth: r.growth,
      ...(r.crossover ? { crossoverRows: Math.round(r.crossover) } : {}),
      results: r.results.map((x) => ({
        scale: x.scale,
        backendMs: ms(x.backend),
        dataMs: ms(x.data),
        ratio: x.ratio ?? null,
        backendSpreadMs: spread(x.backend),
        dataSpreadMs: spread(x.data),
        backendStatus: x.backend.status,
        dataStatus: x.data.status,
        ...(range(x.backend) ? { backendRangeMs: range(x.backend) } : {}),
        ...(range(x.data) ? { dataRangeMs: range(x.data) } : {}),
        ...(x.also.length ? { also: x.also.map((a) => ({ label: a.label, ms: ms(a), status: a.status })) } : {}),
        ...(x.sizes ? { sizes: x.sizes } : {}),
      })),
    })),
  };
}

/** A side's cell: "1.24 s ± 12 ms (1.20–1.31 s)", or why it has no time. */
function cell(o: SideOutcome): string {
  if (o.timing) {
    const t = o.timing;
    return `${formatTime(t.medianMs)} ± ${formatTime(t.madMs)}${t.outliers ? ` ⚠${t.outliers}` : ''}`;
  }
  return o.status === 'over-budget' ? '> budget' : o.status === 'not-run' ? 'not run' : 'error';
}

function formatTime(x: number): string {
  if (x < 1) return `${(x * 1000).toFixed(0)} µs`;
  if (x < 10) return `${x.toFixed(2)} ms`;
  return formatMs(x);
}

const formatBytes = (b: number) => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${(b / 1024).toFixed(0)} KiB`);

function ratioCell(r: PairResult['results'][number]): string {
  if (r.ratio !== undefined) return describeRatio(r.ratio, r.ratioSpread ?? 0);
  if (r.backend.status === 'over-budget' && r.data.timing) return 'data habit only (backend > budget)';
  return '–';
}

/** The terminal report of one pair: a table with the ratio per scale, the growth, and the lesson. */
export function pairText(r: PairResult): string[] {
  const { pair } = r;
  const lines = [pc.bold(`${pair.id} · ${pair.title}`), pc.dim(`  ${pair.habit.backend}  →  ${pair.habit.data}`)];
  lines.push(pc.dim(`  engines: ${Object.entries(r.engines).map(([k, v]) => `${k}: ${v}`).join(' · ')}`));
  if (r.skipped) return [...lines, pc.yellow(`  skipped: ${r.skipped}`), ''];
  if (pair.measures) lines.push(pc.dim(`  measured: ${pair.measures}`));
  const alsoLabels = (pair.also ?? []).map((s) => s.label);
  const header = ['rows', `backend: ${pair.backend.label}`, `data: ${pair.data.label}`, ...alsoLabels, 'data habit is'];
  const rows = r.results.map((x) => [scaleLabel(x.scale), cell(x.backend), cell(x.data), ...x.also.map(cell), ratioCell(x)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => '  ' + row.map((c, i) => (i === 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('   ');
  lines.push(pc.dim(fmt(header)));
  for (const row of rows) lines.push(fmt(row));
  for (const x of r.results) {
    if (x.sameAnswer === false) lines.push(pc.red(`  DIFFERENT ANSWERS at ${scaleLabel(x.scale)} rows: backend ${x.backend.preview} · data ${x.data.preview}`));
    for (const o of [x.backend, x.data, ...x.also]) if (o.status === 'error') lines.push(pc.red(`  ${o.label} at ${scaleLabel(x.scale)} rows failed: ${o.message}`));
    if (x.sizes) lines.push(pc.dim(`  on disk at ${scaleLabel(x.scale)} rows: ${Object.entries(x.sizes).map(([k, v]) => `${k} ${formatBytes(v)}`).join(', ')}`));
  }
  const over = r.results.flatMap((x) => [x.backend, x.data].filter((o) => o.status === 'over-budget').map((o) => `${o.label} at ${scaleLabel(x.scale)} rows (${o.message})`));
  if (over.length) lines.push(pc.dim(`  over budget: ${over.join('; ')}`));
  if (r.growth.backend !== undefined && r.growth.data !== undefined) lines.push(`  growth: backend ${describeGrowth(r.growth.backend)}, data ${describeGrowth(r.growth.data)}`);
  if (r.crossover) lines.push(`  crossover: the habits cost the same near ${scaleLabel(Math.round(r.crossover))} rows`);
  const outliers = r.results.some((x) => [x.backend, x.data, ...x.also].some((o) => o.timing?.outliers));
  if (outliers) lines.push(pc.dim('  ⚠k: k of the timed runs were statistical outliers (another program busy? a cold cache?): more --runs steadies the median'));
  lines.push(...pair.lesson.map((l) => pc.dim(`  · ${l}`)), '');
  return lines;
}

/** The Markdown report of one pair, with its chart beside it. */
export function pairMarkdown(r: PairResult, svgName: string, machine: string): string {
  const { pair } = r;
  const out = [`# ${pair.title}`, '', `**Backend habit:** ${pair.habit.backend}. **Data habit:** ${pair.habit.data}.`, ''];
  out.push(`Engines: ${Object.entries(r.engines).map(([k, v]) => `${k}: ${v}`).join('; ')}. Machine: ${machine}.`, '');
  if (r.skipped) return [...out, `Skipped: ${r.skipped}.`, ''].join('\n');
  if (pair.measures) out.push(`Measured: ${pair.measures}.`, '');
  const alsoLabels = (pair.also ?? []).map((s) => s.label);
  out.push(`| rows | ${pair.backend.label} | ${pair.data.label} |${alsoLabels.map((l) => ` ${l} |`).join('')} data habit is |`, `|---:|---:|---:|${alsoLabels.map(() => '---:|').join('')}---|`);
  for (const x of r.results) out.push(`| ${scaleLabel(x.scale)} | ${cell(x.backend)} | ${cell(x.data)} |${x.also.map((a) => ` ${cell(a)} |`).join('')} ${ratioCell(x)} |`);
  out.push('', 'Median of the timed runs ± their median absolute deviation; ⚠k: k runs were statistical outliers.', '');
  if (r.growth.backend !== undefined && r.growth.data !== undefined) out.push(`Growth: backend ${describeGrowth(r.growth.backend)}; data ${describeGrowth(r.growth.data)}.`, '');
  if (r.crossover) out.push(`Crossover near ${scaleLabel(Math.round(r.crossover))} rows.`, '');
  out.push(`![${pair.id}](${svgName})`, '', '## Why', '', ...pair.lesson.map((l) => `- ${l}`), '');
  return out.join('\n');
}

/** The chart of one pair: time against rows on log-log axes, a line per side, the crossover marked. */
export async function pairSvg(r: PairResult): Promise<string> {
  const named = (x: PairResult['results'][number]): Array<[string, SideOutcome]> => [[`backend: ${x.backend.label}`, x.backend], [`data: ${x.data.label}`, x.data], ...x.also.map((a): [string, SideOutcome] => [a.label, a])];
  const values = r.results.flatMap((x) => named(x).filter(([, o]) => o.timing).map(([side, o]) => ({ rows: x.scale, ms: o.timing!.medianMs, lo: o.timing!.minMs, hi: o.timing!.maxMs, side })));
  const layers: vl.TopLevelSpec[] | object[] = [
    { mark: { type: 'line', point: true }, encoding: { x: { field: 'rows', type: 'quantitative', scale: { type: 'log' }, title: 'rows' }, y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: r.pair.measures ? 'delay (ms, median)' : 'time (ms, median)' }, color: { field: 'side', type: 'nominal', title: null } } },
    { mark: { type: 'rule' }, encoding: { x: { field: 'rows', type: 'quantitative' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { field: 'side', type: 'nominal' } } },
  ];
  if (r.crossover) layers.push({ data: { values: [{ rows: r.crossover, label: `crossover ≈ ${scaleLabel(Math.round(r.crossover))} rows` }] }, layer: [{ mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'rows', type: 'quantitative' } } }, { mark: { type: 'text', align: 'left', dx: 4, dy: -120, color: 'gray' }, encoding: { x: { field: 'rows', type: 'quantitative' }, text: { field: 'label' } } }] });
  const spec = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title: { text: r.pair.title, fontSize: 12 }, width: 520, height: 300, data: { values }, layer: layers } as vl.TopLevelSpec;
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Writes each pair's Markdown and SVG under dir, and an index; returns the files written. */
export async function writeReports(results: PairResult[], dir: string, machine: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const r of results) {
    const svg = `${r.pair.id}.svg`;
    if (!r.skipped) {
      fs.writeFileSync(path.join(dir, svg), await pairSvg(r));
      written.push(path.join(dir, svg));
    }
    fs.writeFileSync(path.join(dir, `${r.pair.id}.md`), pairMarkdown(r, svg, machine));
    written.push(path.join(dir, `${r.pair.id}.md`));
  }
  return written;
}
