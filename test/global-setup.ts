import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One Python venv per lab for the whole run (creating it takes a while); tests use their own lab homes. */
export default function setup(): () => void {
  const venvs = path.resolve('node_modules', '.cache', 'lakehouse-lab', 'venvs');
  fs.mkdirSync(venvs, { recursive: true });
  process.env.LAB_VENVS = venvs;
  // Downloads (the local Kafka broker's jars) once for the whole run, too.
  process.env.LAB_DOWNLOADS ??= path.resolve('node_modules', '.cache', 'lakehouse-lab', 'downloads');
  if (!fs.existsSync(path.resolve('dist', 'src', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
  // Every scratch project of this run lives under one folder, removed at the end.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lakehouse-lab-test-'));
  process.env.LAB_TEST_TMP = scratch;
  return () => fs.rmSync(scratch, { recursive: true, force: true });
}
