import fs from 'node:fs';
import path from 'node:path';

/** One Python venv per lab for the whole run (creating it takes a while); tests use their own lab homes. */
export default function setup(): void {
  const venvs = path.resolve('node_modules', '.cache', 'lakehouse-lab', 'venvs');
  fs.mkdirSync(venvs, { recursive: true });
  process.env.LAB_VENVS = venvs;
  if (!fs.existsSync(path.resolve('dist', 'src', 'cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does it first)');
}
