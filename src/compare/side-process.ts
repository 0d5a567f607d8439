#!/usr/bin/env node
// One side of a pair in its own process, so that `lab compare` can kill it at its budget. Speaks JSON lines on stdout.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { PAIRS } from './pairs/index.js';
import { isPySide, type SideContext, type TsSide } from './pair.js';

export interface SideJob {
  pair: string;
  /** 'backend', 'data', or 'also:<i>'. */
  side: string;
  ctx: SideContext;
  warmup: number;
  runs: number;
}

export type SideLine = { ready: true } | { run: number; warmup: boolean; ms: number; digest: string; preview: string } | { done: true } | { error: string };

/** The canonical form two answers are compared in: JSON of the rows, bigints as numbers. */
export function digestOf(answer: unknown): { digest: string; preview: string } {
  const json = JSON.stringify(answer, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  return { digest: crypto.createHash('sha256').update(json).digest('hex').slice(0, 16), preview: json.slice(0, 160) };
}

const say = (line: SideLine) => process.stdout.write(JSON.stringify(line) + '\n');

async function main(): Promise<void> {
  const job = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as SideJob;
  const pair = PAIRS.find((p) => p.id === job.pair);
  if (!pair) throw new Error(`no pair ${job.pair}`);
  const side = job.side === 'backend' ? pair.backend : job.side === 'data' ? pair.data : pair.also?.[Number(job.side.split(':')[1])];
  if (!side || isPySide(side)) throw new Error(`no TypeScript side ${job.side} in ${job.pair}`);
  const ts = side as TsSide;
  const state = await ts.open(job.ctx);
  say({ ready: true });
  for (let i = 0; i < job.warmup + job.runs; i++) {
    const t0 = performance.now();
    const result = await ts.run(state, job.ctx);
    const ms = result.measuredMs ?? performance.now() - t0;
    say({ run: i, warmup: i < job.warmup, ms, ...digestOf(result.answer) });
  }
  await ts.close?.(state);
  say({ done: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    say({ error: err instanceof Error ? err.message.split('\n')[0]! : String(err) });
    process.exit(1);
  },
);
