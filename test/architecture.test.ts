import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Imports point one way (DESIGN.md): commands → grade → lab/runtime → services. This reads every
// import of the project's TypeScript and fails on a forbidden edge or a cycle.
const ROOT = path.resolve('.');
const SOURCES = ['src', 'labs', 'datasets'];

type Layer = 'cli' | 'commands' | 'compare' | 'grade' | 'lab' | 'runtime' | 'runtime-impl' | 'services' | 'workspace' | 'ui' | 'base' | 'labs' | 'datasets';

function layerOf(file: string): Layer {
  const rel = path.relative(ROOT, file).split(path.sep);
  if (rel[0] === 'labs') return 'labs';
  if (rel[0] === 'datasets') return 'datasets';
  if (rel[1] === 'cli.ts') return 'cli';
  // The implementations, and the factory that picks one of them.
  if (rel[1] === 'runtime' && ['docker', 'local', 'remote', 'select.ts'].includes(rel[2]!)) return 'runtime-impl';
  if (['commands', 'compare', 'grade', 'lab', 'runtime', 'services', 'workspace', 'ui'].includes(rel[1]!)) return rel[1] as Layer;
  return 'base';
}

/** What each layer must never import. */
const FORBIDDEN: Record<Layer, Layer[]> = {
  cli: ['grade', 'runtime-impl'],
  commands: ['cli'],
  // lab compare's pairs and measurements: engines come from the command, started by the local runtime's processes.
  compare: ['cli', 'commands', 'grade', 'lab', 'runtime', 'runtime-impl', 'workspace'],
  grade: ['cli', 'commands', 'runtime-impl'],
  lab: ['cli', 'commands', 'grade', 'runtime', 'runtime-impl'],
  runtime: ['cli', 'commands', 'grade', 'runtime-impl'],
  'runtime-impl': ['cli', 'commands', 'grade'],
  services: ['cli', 'commands', 'grade', 'lab', 'runtime', 'runtime-impl', 'workspace'],
  workspace: ['cli', 'commands', 'grade', 'runtime', 'runtime-impl'],
  ui: ['cli', 'commands', 'grade', 'lab', 'runtime', 'runtime-impl', 'services', 'workspace'],
  base: ['cli', 'commands', 'grade', 'lab', 'runtime', 'runtime-impl', 'services', 'workspace', 'ui'],
  labs: ['cli', 'commands', 'grade', 'runtime-impl'],
  datasets: ['cli', 'commands', 'grade', 'runtime', 'runtime-impl', 'labs'],
};

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function tsFiles(dir: string): string[] {
  return (fs.readdirSync(path.join(ROOT, dir), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, dir, f));
}

function importsOf(file: string): Edge[] {
  const text = fs.readFileSync(file, 'utf8');
  const edges: Edge[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm;
  for (const m of text.matchAll(pattern)) {
    const spec = m[3] ?? m[4]!;
    if (!spec.startsWith('.')) continue;
    edges.push({ from: file, to: path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')), typeOnly: Boolean(m[2]) });
  }
  return edges;
}

const files = SOURCES.flatMap(tsFiles);
const edges = files.flatMap(importsOf);

describe('imports point one way', () => {
  it('reads the project: every relative import resolves to a file', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(edges.filter((e) => !fs.existsSync(e.to)).map((e) => `${path.relative(ROOT, e.from)} → ${path.relative(ROOT, e.to)}`)).toEqual([]);
  });

  it('no layer imports one it must not (lab/ never grade/, grade/ never a runtime implementation, services/ nothing above them)', () => {
    const bad = edges.filter((e) => FORBIDDEN[layerOf(e.from)].includes(layerOf(e.to)));
    expect(bad.map((e) => `${path.relative(ROOT, e.from)} (${layerOf(e.from)}) → ${path.relative(ROOT, e.to)} (${layerOf(e.to)})`)).toEqual([]);
  });

  it('no cycle among the modules a program loads (type-only imports aside)', () => {
    const graph = new Map<string, string[]>();
    for (const e of edges) if (!e.typeOnly) graph.set(e.from, [...(graph.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(ROOT, x)).join(' → '));
        return;
      }
      state.set(f, 'visiting');
      for (const to of graph.get(f) ?? []) visit(to, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('the checks catch a forbidden import', () => {
    expect(FORBIDDEN[layerOf(path.join(ROOT, 'src', 'lab', 'checks.ts'))]).toContain(layerOf(path.join(ROOT, 'src', 'grade', 'grader.ts')));
    expect(FORBIDDEN[layerOf(path.join(ROOT, 'src', 'grade', 'grader.ts'))]).toContain(layerOf(path.join(ROOT, 'src', 'runtime', 'docker', 'docker-runtime.ts')));
  });
});
