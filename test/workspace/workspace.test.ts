import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors.js';
import { loadLab, type LoadedLab } from '../../src/lab/load.js';
import { resolvePaths } from '../../src/paths.js';
import { StateStore } from '../../src/workspace/state.js';
import { applySolution, backupFiles, learnerFile, restoreTemplates, syncTemplates, workspaceRelative } from '../../src/workspace/workspace.js';
import { scratchDir } from '../helpers.js';

let lab: LoadedLab;
beforeAll(async () => {
  lab = await loadLab('month1');
});

const read = (f: string) => fs.readFileSync(f, 'utf8');
/** Every file under a folder, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

describe('workspace', () => {
  it('up copies every template once and never overwrites a learner file', () => {
    const paths = resolvePaths({}, scratchDir('ws-sync'));
    const first = syncTemplates(paths, lab);
    expect(first.created).toHaveLength(lab.exercises.length);
    const ex = lab.exercises[0]!;
    const file = learnerFile(paths, lab, ex);
    fs.writeFileSync(file, '-- my work\nSELECT 1');
    const second = syncTemplates(paths, lab);
    expect(second.created).toEqual([]);
    expect(second.kept).toHaveLength(lab.exercises.length);
    expect(read(file)).toBe('-- my work\nSELECT 1');
  });

  it('a deleted file comes back from its template, and only that one', () => {
    const paths = resolvePaths({}, scratchDir('ws-deleted'));
    syncTemplates(paths, lab);
    const [a, b] = [lab.exercises[0]!, lab.exercises[1] ?? lab.exercises[0]!];
    fs.writeFileSync(learnerFile(paths, lab, b), 'mine');
    fs.rmSync(learnerFile(paths, lab, a));
    const again = syncTemplates(paths, lab);
    expect(again.created).toEqual([workspaceRelative(lab, a)]);
    expect(read(learnerFile(paths, lab, a))).toBe(read(a.templateFile));
    if (a !== b) expect(read(learnerFile(paths, lab, b))).toBe('mine');
  });

  it('restoring templates backs up every learner file first, byte for byte', () => {
    const paths = resolvePaths({}, scratchDir('ws-restore'));
    syncTemplates(paths, lab);
    const mine = new Map(lab.exercises.map((ex, i) => [ex, `-- attempt ${i}\nSELECT ${i}`]));
    for (const [ex, text] of mine) fs.writeFileSync(learnerFile(paths, lab, ex), text);
    const { backupDir, restored } = restoreTemplates(paths, lab, lab.exercises);
    expect(restored).toHaveLength(lab.exercises.length);
    expect(backupDir).toMatch(/[/\\]\.backup[/\\]\d{4}-\d\d-\d\dT/);
    for (const [ex, text] of mine) {
      expect(read(path.join(backupDir!, workspaceRelative(lab, ex)))).toBe(text);
      expect(read(learnerFile(paths, lab, ex))).toBe(read(ex.templateFile));
    }
  });

  it('two backups in the same instant never overwrite each other', () => {
    const paths = resolvePaths({}, scratchDir('ws-twice'));
    syncTemplates(paths, lab);
    const ex = lab.exercises[0]!;
    const rel = workspaceRelative(lab, ex);
    const dirs: string[] = [];
    for (let i = 0; i < 5; i++) {
      fs.writeFileSync(learnerFile(paths, lab, ex), `version ${i}`);
      dirs.push(backupFiles(paths, [rel])!);
    }
    expect(new Set(dirs).size).toBe(5);
    expect(dirs.map((d) => read(path.join(d, rel)))).toEqual([0, 1, 2, 3, 4].map((i) => `version ${i}`));
  });

  it('applying a solution keeps the learner file in a backup; nothing to back up makes no folder', () => {
    const paths = resolvePaths({}, scratchDir('ws-apply'));
    syncTemplates(paths, lab);
    const ex = lab.exercises[0]!;
    fs.writeFileSync(learnerFile(paths, lab, ex), 'my attempt');
    const applied = applySolution(paths, lab, ex);
    expect(read(learnerFile(paths, lab, ex))).toBe(read(ex.solutionFile));
    expect(read(path.join(applied.backupDir!, applied.file))).toBe('my attempt');

    fs.rmSync(learnerFile(paths, lab, ex));
    const before = filesUnder(path.join(paths.workspaceRoot, '.backup'));
    expect(applySolution(paths, lab, ex).backupDir).toBeUndefined();
    expect(filesUnder(path.join(paths.workspaceRoot, '.backup'))).toEqual(before);
  });

  it('no operation ever loses a byte the learner wrote', () => {
    const paths = resolvePaths({}, scratchDir('ws-nolose'));
    syncTemplates(paths, lab);
    const ex = lab.exercises[0]!;
    const backups = path.join(paths.workspaceRoot, '.backup');
    const ops = [() => syncTemplates(paths, lab), () => restoreTemplates(paths, lab, [ex]), () => applySolution(paths, lab, ex)];
    for (let i = 0; i < 9; i++) {
      const text = `learner edit ${i}`;
      fs.writeFileSync(learnerFile(paths, lab, ex), text);
      ops[i % ops.length]!();
      const kept = [read(learnerFile(paths, lab, ex)), ...filesUnder(backups).map((f) => read(path.join(backups, f)))];
      expect(kept, `after operation ${i}`).toContain(text);
    }
  });
});

describe('state file', () => {
  it('round-trips lab state, progress and hints', () => {
    const store = new StateStore(resolvePaths({}, scratchDir('state-rt')).home);
    expect(store.read().labs).toEqual({});
    store.update((s) => {
      s.labs.month1 = { status: 'up', runtime: 'local', seed: 7, scale: 'small', seededAt: '2026-01-01T00:00:00Z', progress: { passed: ['01-dedupe-orders'], total: 13, checkedAt: 'x' } };
      s.hintsRevealed['month1/01-dedupe-orders'] = 2;
    });
    const again = new StateStore(path.dirname(store.file)).read();
    expect(again.labs.month1?.progress?.passed).toEqual(['01-dedupe-orders']);
    expect(again.hintsRevealed['month1/01-dedupe-orders']).toBe(2);
    expect(fs.readdirSync(path.dirname(store.file))).toEqual(['state.json']);
  });

  it.each([
    ['not JSON', '{ not json', /not valid JSON/],
    ['a wrong type', JSON.stringify({ labs: { month1: { status: 'up', runtime: 'local', seed: 'seven', scale: 'small', seededAt: 'x' } } }), /labs\.month1\.seed/],
    ['an unknown runtime', JSON.stringify({ labs: { month1: { status: 'up', runtime: 'cloud', seed: 1, scale: 'small', seededAt: 'x' } } }), /labs\.month1\.runtime/],
  ])('a state file with %s is a LabError naming the file and the fix', (_what, text, why) => {
    const home = resolvePaths({}, scratchDir('state-bad')).home;
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, 'state.json'), text);
    const store = new StateStore(home);
    let error: unknown;
    try {
      store.read();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LabError);
    expect((error as LabError).message).toMatch(/state\.json is corrupt/);
    expect((error as LabError).message).toMatch(why);
    expect((error as LabError).hint).toMatch(/Move it aside/);
    expect(read(path.join(home, 'state.json'))).toBe(text);
  });
});
