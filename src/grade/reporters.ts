import fs from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import type { ExerciseResult, LabReport } from './grader.js';

/** One exercise as the learner reads it in a terminal: a line, then every failed check. */
export function prettyExercise(result: ExerciseResult): string {
  const mark = result.passed ? pc.green('✓') : pc.red('✗');
  const lines = [`${mark} ${pc.bold(result.id)}  ${pc.dim(result.title)}`];
  if (!result.passed) {
    for (const check of result.checks.filter((c) => !c.passed)) {
      const [first, ...rest] = check.message.split('\n');
      lines.push(`    ${pc.red('✗')} ${check.name}: ${first}`);
      for (const line of rest) lines.push(`        ${line}`);
    }
    lines.push(`    ${pc.dim(`workspace/${result.files.join(', ')}`)}`);
  }
  return lines.join('\n');
}

export function prettySummary(report: LabReport): string {
  const color = report.score === report.max ? pc.green : pc.yellow;
  const next = report.exercises.find((e) => !e.passed);
  const tail = next ? `\nnext: ${next.id} — \`lab hint ${report.lab} ${next.id}\` if you are stuck` : '\nevery exercise passes: well done!';
  return `\n${color(`score ${report.score}/${report.max}`)} ${pc.dim(`(${report.lab}, ${report.runtime} runtime)`)}${tail}`;
}

/** The contract other tools read (DESIGN.md): exactly these keys. */
export function jsonReport(report: LabReport): string {
  return JSON.stringify({
    lab: report.lab,
    runtime: report.runtime,
    score: report.score,
    max: report.max,
    exercises: report.exercises.map((e) => ({
      id: e.id,
      title: e.title,
      files: e.files,
      passed: e.passed,
      checks: e.checks.map((c) => ({ name: c.name, passed: c.passed, message: c.message })),
    })),
  });
}

const xml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!)
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');

/** JUnit XML: a testsuite per exercise, a testcase per check. */
export function junitReport(report: LabReport): string {
  const checks = report.exercises.flatMap((e) => e.checks);
  const failures = checks.filter((c) => !c.passed).length;
  const suites = report.exercises.map((e) => {
    const cases = e.checks.map((c) => {
      const body = c.passed ? '' : `<failure message="${xml(c.message.split('\n')[0]!)}">${xml(c.message)}</failure>`;
      return `    <testcase classname="${xml(`${report.lab}.${e.id}`)}" name="${xml(c.name)}">${body}</testcase>`;
    });
    const f = e.checks.filter((c) => !c.passed).length;
    return `  <testsuite name="${xml(`${report.lab}/${e.id}`)}" tests="${e.checks.length}" failures="${f}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(report.lab)}" tests="${checks.length}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function writeJunit(file: string, report: LabReport): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, junitReport(report));
}
