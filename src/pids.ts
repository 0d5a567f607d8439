import fs from 'node:fs';
import path from 'node:path';

/** Whether a process of this machine still runs (a process of another user counts as running). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what interrupted processes left in `dir`: entries whose name matches `pattern` with the
 * owner's pid as its first group (`data.seeding-1234`), when that process is gone.
 */
export function removeLeftovers(dir: string, pattern: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  const removed: string[] = [];
  for (const entry of fs.readdirSync(dir)) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (!pid || pid === process.pid || isAlive(pid)) continue;
    fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
    removed.push(entry);
  }
  return removed;
}
