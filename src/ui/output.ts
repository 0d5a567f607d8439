import pc from 'picocolors';

/** Where commands print: stdout for results, stderr for progress, so `--json` stays clean. */
export interface Output {
  result(line?: string): void;
  info(line: string): void;
  progress(): Progress;
  readonly interactive: boolean;
}

export interface Progress {
  /** A step that takes time; returns a function that marks it done with a detail. */
  start(label: string): (detail?: string) => void;
  /** A step's measured progress: done out of total, shown as a bar when interactive. */
  bar(label: string, total: number): { update(done: number, detail?: string): void; stop(detail?: string): void };
  /**
   * Rows whose state changes in place, one per item (each service while a stack starts), redrawn
   * while interactive; otherwise a row is printed once, when it is done.
   */
  board(rows: string[]): Board;
}

export interface Board {
  set(row: string, state: string, done?: boolean): void;
  stop(): void;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatRate(rows: number, ms: number): string {
  const perSecond = rows / Math.max(ms, 1) * 1000;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)} M rows/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)} k rows/s`;
  return `${perSecond.toFixed(0)} rows/s`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function consoleOutput(opts: { quiet?: boolean } = {}): Output {
  const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  const info = (line: string) => {
    if (!opts.quiet) process.stderr.write(line + '\n');
  };
  return {
    interactive,
    result: (line = '') => process.stdout.write(line + '\n'),
    info,
    progress: () => ({
      start(label) {
        const t0 = performance.now();
        // No partial line: steps may run alongside a progress bar that owns the current line.
        return (detail) => {
          const took = formatMs(performance.now() - t0);
          const text = `  ${pc.green('✓')} ${label}${detail ? ` ${pc.dim('·')} ${detail}` : ''} ${pc.dim(`(${took})`)}`;
          if (interactive && !opts.quiet) process.stderr.write(`\r\x1b[2K${text}\n`);
          else info(text);
        };
      },
      bar(label, total) {
        const t0 = performance.now();
        const width = 24;
        const draw = (done: number, detail = '') => {
          if (!interactive || opts.quiet) return;
          const filled = Math.round((done / Math.max(total, 1)) * width);
          process.stderr.write(`\r\x1b[2K  ${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${pc.dim(detail)}`);
        };
        draw(0);
        return {
          update: draw,
          stop(detail) {
            const text = `  ${pc.green('✓')} ${label}${detail ? ` ${pc.dim('·')} ${detail}` : ''} ${pc.dim(`(${formatMs(performance.now() - t0)})`)}`;
            if (interactive && !opts.quiet) process.stderr.write(`\r\x1b[2K${text}\n`);
            else info(text);
          },
        };
      },
      board(rows) {
        const t0 = performance.now();
        const live = interactive && !opts.quiet;
        const states = new Map(rows.map((r) => [r, { state: 'starting', done: false }]));
        const width = Math.max(0, ...rows.map((r) => r.length));
        const lines = () => [
          ...rows.map((r) => {
            const s = states.get(r)!;
            return `  ${s.done ? pc.green('✓') : pc.yellow('…')} ${r.padEnd(width)} ${s.state}`;
          }),
          pc.dim(`  waiting · ${formatMs(performance.now() - t0)}`),
        ];
        let drawn = 0;
        const draw = () => {
          if (!live) return;
          const text = lines();
          process.stderr.write(`${drawn ? `\x1b[${drawn}A` : ''}${text.map((l) => `\r\x1b[2K${l}`).join('\n')}\n`);
          drawn = text.length;
        };
        const ticker = live ? setInterval(draw, 250) : undefined;
        draw();
        return {
          set(row, state, done = false) {
            const was = states.get(row);
            states.set(row, { state, done });
            if (!live && done && !was?.done) info(`  ${pc.green('✓')} ${row} ${state}`);
          },
          stop() {
            clearInterval(ticker);
            draw();
          },
        };
      },
    }),
  };
}
