import fs from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import { isAlive } from '../pids.js';

/** How long a command that reads a lab's data waits for one that rewrites it (a reset) before it gives up. */
const WAIT_FOR_WRITER_MS = 10 * 60_000;
const POLL_MS = 200;

interface Holder {
  pid: number;
  verb: string;
  mode: 'read' | 'write';
}

/**
 * Who uses a lab's data right now: commands that read it (check, query, run, watch) share it, a
 * command that rewrites it (reset, up, drop, down --purge) needs it alone. Each holder is a file
 * named after its process, so one that died holds nothing.
 */
export class LabLock {
  private readonly dir: string;

  constructor(home: string, readonly lab: string) {
    this.dir = path.join(home, lab, 'locks');
  }

  private holders(): Array<Holder & { file: string }> {
    if (!fs.existsSync(this.dir)) return [];
    const found: Array<Holder & { file: string }> = [];
    for (const name of fs.readdirSync(this.dir)) {
      const m = /^(read|write)-(\d+)$/.exec(name);
      if (!m) continue;
      const file = path.join(this.dir, name);
      const pid = Number(m[2]);
      if (pid !== process.pid && !isAlive(pid)) {
        fs.rmSync(file, { force: true });
        continue;
      }
      let verb = 'lab';
      try {
        verb = fs.readFileSync(file, 'utf8').trim() || verb;
      } catch {
        // written a moment ago: the verb is not there yet
      }
      found.push({ pid, verb, mode: m[1] as Holder['mode'], file });
    }
    return found;
  }

  private hold(mode: Holder['mode'], verb: string): () => void {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${mode}-${process.pid}`);
    fs.writeFileSync(file, verb);
    const release = () => fs.rmSync(file, { force: true });
    process.once('exit', release);
    return release;
  }

  /** Reads the data alongside other readers; waits (saying so) while a command rewrites it. */
  async read(verb: string, onWait?: (writer: string) => void): Promise<() => void> {
    const deadline = Date.now() + WAIT_FOR_WRITER_MS;
    let told = false;
    for (;;) {
      const release = this.hold('read', verb);
      const writer = this.holders().find((h) => h.mode === 'write' && h.pid !== process.pid);
      if (!writer) return release;
      release(); // step back, so the writer never sees this reader halfway
      if (!told) onWait?.(`\`${writer.verb}\` (pid ${writer.pid}) is rewriting ${this.lab}'s data: waiting for it to finish`);
      told = true;
      if (Date.now() > deadline) throw new LabError(`\`${writer.verb}\` (pid ${writer.pid}) is still rewriting ${this.lab}'s data.`, 'Wait for it to finish, or stop it, and run this again.');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** Rewrites the data alone: refused, in one line, while another command uses it. */
  write(verb: string): () => void {
    const release = this.hold('write', verb);
    const other = this.holders().find((h) => h.pid !== process.pid);
    if (other) {
      release();
      const what = other.mode === 'read' ? 'is using' : 'is rewriting';
      throw new LabError(`\`${other.verb}\` (pid ${other.pid}) ${what} ${this.lab}'s data.`, `Wait for it to finish (or stop it: a \`lab watch\` runs until Ctrl-C), then run \`${verb}\` again.`);
    }
    return release;
  }
}
