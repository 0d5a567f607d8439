/**
 * Runs a learner's TypeScript detector as its own process: `node --enable-source-maps host.js
 * <detector.ts> <build dir>`. The file is transpiled (not type-checked: a type slip should not stop a
 * stream), with a source map so a stack trace names the learner's own file and line.
 * A module whose default export has `onPayment` runs inside the kit's plumbing; any other module
 * runs its own consumer when imported.
 */
import fs from 'node:fs';
import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { runDetector, type Detector } from './kit.js';

/** Transpiles the detector next to its build folder; syntax errors are the file's, with their line. */
export function transpileDetector(file: string, buildDir: string): string {
  const source = fs.readFileSync(file, 'utf8');
  const out = ts.transpileModule(source, {
    fileName: file,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true, inlineSources: true },
  });
  const syntax = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntax) {
    const line = syntax.file && syntax.start !== undefined ? syntax.file.getLineAndCharacterOfPosition(syntax.start).line + 1 : undefined;
    throw new SyntaxError(`${path.basename(file)}${line ? `:${line}` : ''}: ${ts.flattenDiagnosticMessageText(syntax.messageText, '\n')}`);
  }
  const map = JSON.parse(out.sourceMapText ?? '{}') as { sources?: string[] };
  map.sources = [pathToFileURL(file).href];
  fs.mkdirSync(buildDir, { recursive: true });
  const target = path.join(buildDir, `${path.basename(file, '.ts')}-${process.pid}.mjs`);
  const code = out.outputText.replace(/\/\/# sourceMappingURL=.*$/m, '');
  fs.writeFileSync(target, `${code}\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`);
  return target;
}

async function main(): Promise<void> {
  const [file, buildDir] = process.argv.slice(2);
  if (!file || !buildDir) throw new Error('usage: host.js <detector.ts> <build dir>');
  register(new URL('./resolve-hook.js', import.meta.url).href, import.meta.url);
  let built: string;
  try {
    built = transpileDetector(path.resolve(file), buildDir);
  } catch (err) {
    process.stderr.write(`\x1e${JSON.stringify({ syntaxError: (err as Error).message })}\n`);
    process.exit(3);
  }
  const mod = (await import(pathToFileURL(built).href)) as { default?: Detector };
  fs.rmSync(built, { force: true });
  if (mod.default && typeof mod.default.onPayment === 'function') await runDetector(mod.default);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
