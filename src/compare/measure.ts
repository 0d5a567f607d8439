/** Timing statistics the way hyperfine reports them: median, spread (min–max, MAD), outliers, and a ratio with its uncertainty. */

export interface Timing {
  /** The timed runs, in milliseconds (warm-ups are not in here). */
  runs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median absolute deviation from the median. */
  madMs: number;
  /** Runs whose modified z-score is over 3.5 (Iglewicz and Hoaglin): a noisy machine, a cold cache. */
  outliers: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function summarize(runs: number[]): Timing {
  const med = median(runs);
  const mad = median(runs.map((x) => Math.abs(x - med)));
  const outliers = mad > 0 ? runs.filter((x) => (0.6745 * Math.abs(x - med)) / mad > 3.5).length : 0;
  return { runs, medianMs: med, minMs: Math.min(...runs), maxMs: Math.max(...runs), madMs: mad, outliers };
}

/** backend / data, and its spread from both sides' MADs (relative errors added in quadrature, as hyperfine does). */
export function ratioOf(backend: Timing, data: Timing): { ratio: number; spread: number } {
  const ratio = backend.medianMs / data.medianMs;
  const rel = Math.hypot(backend.madMs / backend.medianMs, data.madMs / data.medianMs);
  return { ratio, spread: ratio * rel };
}

/** "18.4 ± 1.2× faster" for the data habit, or "3.0 ± 0.1× slower" where the backend habit wins. */
export function describeRatio(ratio: number, spread: number): string {
  const digits = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  if (ratio >= 1) return `${digits(ratio)} ± ${digits(spread)}× faster`;
  const inverse = 1 / ratio;
  return `${digits(inverse)} ± ${digits(inverse * (spread / ratio))}× slower`;
}

/**
 * How time grows with rows: the slope of log(time) against log(rows) over the measured scales from
 * 10^4 up (below that, fixed costs hide the growth). Undefined with fewer than two such points.
 */
export function growthExponent(points: Array<{ rows: number; ms: number }>): number | undefined {
  let use = points.filter((p) => p.rows >= 1e4 && p.ms > 0);
  if (use.length < 2) use = points.filter((p) => p.ms > 0).slice(-2);
  if (use.length < 2) return undefined;
  const xs = use.map((p) => Math.log(p.rows));
  const ys = use.map((p) => Math.log(p.ms));
  const mx = xs.reduce((a, b) => a + b) / xs.length;
  const my = ys.reduce((a, b) => a + b) / ys.length;
  const cov = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
  const vx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return cov / vx;
}

/** The exponent in words: what a learner would call it. */
export function describeGrowth(k: number): string {
  const shape = k < 0.3 ? 'about constant: fixed costs dominate' : k < 0.8 ? 'sub-linear: fixed costs still show' : k < 1.3 ? '≈ O(n)' : k < 1.7 ? '≈ O(n^1.5)' : '≈ O(n²)';
  return `n^${k.toFixed(2)} (${shape})`;
}

/** The rows where the ratio crosses 1 (the backend habit wins on one side of it), interpolated on log scales. */
export function crossover(points: Array<{ rows: number; ratio: number }>): number | undefined {
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!;
    const b = points[i]!;
    if ((a.ratio - 1) * (b.ratio - 1) < 0) {
      const t = (0 - Math.log(a.ratio)) / (Math.log(b.ratio) - Math.log(a.ratio));
      return Math.exp(Math.log(a.rows) + t * (Math.log(b.rows) - Math.log(a.rows)));
    }
  }
  return undefined;
}
