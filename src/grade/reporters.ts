import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import type { CheckResult, ExerciseResult, LabReport } from './grader.js';

/** The version of the `lab check --json` contract (DESIGN.md): each check's `status`, `score` and `threshold` came with 1. */
export const REPORT_VERSION = 1;

/** How much of what a solution printed the report shows. */
const PRINTED_LINES = 12;

const MARKS: Record<CheckResult['status'], string> = { pass: pc.green('✓'), fail: pc.red('✗'), error: pc.red('!'), skipped: pc.dim('–') };

/** One exercise as the learner reads it in a terminal: a line, then every check that failed, did not run, or was skipped. */
export function prettyExercise(result: ExerciseResult): string {
  const didNotRun = !result.passed && result.checks.some((c) => c.status === 'error') && !result.checks.some((c) => c.status === 'fail');
  const mark = result.passed ? pc.green('✓') : didNotRun ? pc.red('!') : pc.red('✗');
  const lines = [`${mark} ${pc.bold(result.id)}  ${pc.dim(result.title)}`];
  for (const check of result.checks.filter((c) => c.status !== 'pass')) {
    const [first, ...rest] = check.message.split('\n');
    const text = `${check.name}: ${first}`;
    lines.push(`    ${MARKS[check.status]} ${check.status === 'skipped' ? pc.dim(`${text} (skipped)`) : text}`);
    for (const line of rest) lines.push(`        ${line}`);
  }
  if (result.printed) {
    const out = result.printed.trimEnd().split('\n');
    lines.push(`    ${pc.dim('printed (your seed):')}`);
    for (const line of out.slice(0, PRINTED_LINES)) lines.push(`      ${pc.dim('│')} ${line.slice(0, 200)}`);
    if (out.length > PRINTED_LINES) lines.push(`      ${pc.dim(`│ … ${out.length - PRINTED_LINES} more lines`)}`);
  }
  if (!result.passed) lines.push(`    ${pc.dim(`workspace/${result.files.join(', ')}`)}`);
  return lines.join('\n');
}

/**
 * The last lines: this check's score and what to do next. `progress` is the whole lab's (every
 * exercise in order, and those that pass now): a check of one exercise points at the lab's first
 * exercise still failing, and says "well done" only when they all pass.
 */
export function prettySummary(report: LabReport, progress?: { all: string[]; passed: string[] }): string {
  const color = report.score === report.max ? pc.green : pc.yellow;
  const all = progress?.all ?? report.exercises.map((e) => e.id);
  const passed = new Set(progress?.passed ?? report.exercises.filter((e) => e.passed).map((e) => e.id));
  const next = report.exercises.find((e) => !e.passed)?.id ?? all.find((id) => !passed.has(id));
  const partial = all.length > report.max;
  const lab = partial ? ` · ${all.filter((id) => passed.has(id)).length}/${all.length} of ${report.lab} pass` : '';
  const tail = next ? `\nnext: ${next} — \`lab hint ${report.lab} ${next}\` if you are stuck` : '\nevery exercise passes: well done!';
  return `\n${color(`score ${report.score}/${report.max}`)} ${pc.dim(`(${report.lab}, ${report.runtime} runtime)${lab}`)}${tail}`;
}

/** The contract other tools read (DESIGN.md): exactly these keys, in this order; `score`/`threshold` only when a check measured. */
export function jsonReport(report: LabReport): string {
  return JSON.stringify({
    version: REPORT_VERSION,
    lab: report.lab,
    runtime: report.runtime,
    score: report.score,
    max: report.max,
    exercises: report.exercises.map((e) => ({
      id: e.id,
      title: e.title,
      files: e.files,
      passed: e.passed,
      checks: e.checks.map((c) => ({ name: c.name, status: c.status, passed: c.passed, message: c.message, ...(c.score !== undefined ? { score: c.score, threshold: c.threshold } : {}) })),
    })),
  });
}

const xml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');

const count = (checks: CheckResult[], status: CheckResult['status']) => checks.filter((c) => c.status === status).length;

/** JUnit XML: a testsuite per exercise, a testcase per check; a check that did not run is an <error>, a skipped one <skipped>. */
export function junitReport(report: LabReport): string {
  const checks = report.exercises.flatMap((e) => e.checks);
  const body = (c: CheckResult) => {
    const first = xml(c.message.split('\n')[0]!);
    if (c.status === 'fail') return `<failure message="${first}">${xml(c.message)}</failure>`;
    if (c.status === 'error') return `<error message="${first}">${xml(c.message)}</error>`;
    if (c.status === 'skipped') return `<skipped message="${first}"/>`;
    return '';
  };
  const suites = report.exercises.map((e) => {
    const cases = e.checks.map((c) => `    <testcase classname="${xml(`${report.lab}.${e.id}`)}" name="${xml(c.name)}">${body(c)}</testcase>`);
    return `  <testsuite name="${xml(`${report.lab}/${e.id}`)}" tests="${e.checks.length}" failures="${count(e.checks, 'fail')}" errors="${count(e.checks, 'error')}" skipped="${count(e.checks, 'skipped')}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(report.lab)}" tests="${checks.length}" failures="${count(checks, 'fail')}" errors="${count(checks, 'error')}" skipped="${count(checks, 'skipped')}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function writeJunit(file: string, report: LabReport): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, junitReport(report));
}
