/**
 * Spark's executed physical plan, read from the text explain() prints (the harness records it for
 * a PySpark run): the nodes of the plan that ran, for checks such as "the join was broadcast".
 *
 * With adaptive execution the text is `AdaptiveSparkPlan isFinalPlan=true`, then
 * `+- == Final Plan ==` and the plan that ran (its skew splits, the joins it replanned), then
 * `+- == Initial Plan ==` and the plan before any stage ran. Only the final plans count here: every
 * initial section (a cached relation's inner plan has its own) is left out.
 */

/** One node: its line without the tree drawing and the codegen stage (`*(3) `). */
export interface PlanNode {
  /** Column of the node's text: a child is to the right of its parent. */
  col: number;
  /** e.g. `SortMergeJoin(skew=true) [customer_id#93], [customer_id#111], Inner`. */
  text: string;
  /** The operator: SortMergeJoin, BroadcastHashJoin, Exchange, InMemoryTableScan, FileScan… */
  name: string;
}

const TREE_DRAWING = /^[ :|+-]*/;

/** The nodes of the final plans, in the order explain() prints them (a node before its children). */
export function planNodes(plan: string): PlanNode[] {
  const nodes: PlanNode[] = [];
  let initialAt: number | undefined;
  for (const line of plan.split('\n')) {
    if (!line.trim()) continue;
    const col = TREE_DRAWING.exec(line)![0].length;
    const text = line.slice(col).trimEnd();
    if (initialAt !== undefined) {
      // An initial plan's lines are at its marker's column or right of it; the next line left of it is past it.
      if (col >= initialAt) continue;
      initialAt = undefined;
    }
    if (text === '== Initial Plan ==') {
      initialAt = col;
      continue;
    }
    // Section headers: == Physical Plan ==, == Final Plan ==, == Subqueries ==.
    if (/^== .* ==$/.test(text)) continue;
    const node = text.replace(/^\*\(\d+\)\s+/, '');
    nodes.push({ col, text: node, name: /^[A-Za-z]\w*/.exec(node)?.[0] ?? node });
  }
  return nodes;
}

/** The nodes under `nodes[i]` (inner children such as a cached relation's plan included). */
export function subtree(nodes: PlanNode[], i: number): PlanNode[] {
  const out: PlanNode[] = [];
  for (let j = i + 1; j < nodes.length && nodes[j]!.col > nodes[i]!.col; j++) out.push(nodes[j]!);
  return out;
}

/** The index of the node above `nodes[i]`, or -1 at the root. */
export function parentOf(nodes: PlanNode[], i: number): number {
  for (let j = i - 1; j >= 0; j--) if (nodes[j]!.col < nodes[i]!.col) return j;
  return -1;
}

/** Joins, as Spark plans them. */
export const JOIN_NODES = new Set(['SortMergeJoin', 'ShuffledHashJoin', 'BroadcastHashJoin', 'BroadcastNestedLoopJoin', 'CartesianProduct']);

/**
 * The top-level comma-separated items of the first `count` bracketed lists after the node's name:
 * a join's `[left keys], [right keys]`.
 */
function bracketLists(text: string, count: number): string[][] {
  const lists: string[][] = [];
  let i = text.indexOf(' ');
  while (i >= 0 && i < text.length && lists.length < count) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (text[i] !== '[') break;
    const items: string[] = [];
    let depth = 0;
    let item = '';
    for (i++; i < text.length; i++) {
      const c = text[i]!;
      if (depth === 0 && (c === ']' || c === ',')) {
        if (item.trim()) items.push(item.trim());
        item = '';
        if (c === ']') {
          i++;
          break;
        }
        continue;
      }
      if (c === '[' || c === '(') depth++;
      if (c === ']' || c === ')') depth--;
      item += c;
    }
    lists.push(items);
  }
  return lists;
}

/** A join's keys, each side's expressions as printed (`customer_id#93`, `salt#140`); none for a join without keys. */
export function joinKeys(node: PlanNode): { left: string[]; right: string[] } {
  if (node.name !== 'SortMergeJoin' && node.name !== 'ShuffledHashJoin' && node.name !== 'BroadcastHashJoin') return { left: [], right: [] };
  const [left = [], right = []] = bracketLists(node.text, 2);
  return { left, right };
}

/** The columns an expression reads, by name: `cast(customer_id#1 as bigint)` reads customer_id. */
export function columnsOf(expression: string): string[] {
  return [...expression.matchAll(/([A-Za-z_]\w*)#\d+L?/g)].map((m) => m[1]!);
}

/** What each column a Project computes (`concat_ws(-, customer_id#1, …) AS k#50`) is computed from, by `name#id`. */
export function projectedColumns(nodes: PlanNode[]): Map<string, string> {
  const defined = new Map<string, string>();
  for (const node of nodes) {
    if (node.name !== 'Project') continue;
    for (const item of bracketLists(node.text, 1)[0] ?? []) {
      const m = /^(.*) AS ([A-Za-z_]\w*#\d+L?)$/s.exec(item);
      if (m) defined.set(m[2]!, m[1]!);
    }
  }
  return defined;
}

/**
 * The input columns an expression reads, by name, through the columns Projects computed on the
 * way: a join key `k#50` defined as `concat_ws(-, customer_id#1, salt#9) AS k#50` reads customer_id and salt.
 */
export function sourceColumns(expression: string, defined: Map<string, string>): string[] {
  return [...new Set(columnsOf(expandColumns(expression, defined)))];
}

/** The expression with each column a Project computed replaced by its definition: `k#50` becomes `(concat_ws(-, customer_id#1, salt#9))`. */
export function expandColumns(expression: string, defined: Map<string, string>, depth = 0): string {
  if (depth > 20) return expression;
  return expression.replace(/[A-Za-z_]\w*#\d+L?/g, (column) => {
    const source = defined.get(column);
    return source === undefined ? column : `(${expandColumns(source, defined, depth + 1)})`;
  });
}

/** Adaptive execution split the join's skewed partitions: `SortMergeJoin(skew=true)`. */
export const isSkewJoin = (node: PlanNode) => /^\w+\(skew=true\)/.test(node.text);

/** The node reads the input table `table` (the harness's `<table>.parquet`), itself or below it. */
export function readsTable(nodes: PlanNode[], i: number, table: string): boolean {
  const file = new RegExp(`[/\\[]${table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.parquet\\]`);
  return [nodes[i]!, ...subtree(nodes, i)].some((n) => n.name === 'FileScan' && file.test(n.text));
}

/** A node's line for a message: long lines (a scan's schema) cut. */
export function showNode(node: PlanNode, max = 160): string {
  return node.text.length > max ? `${node.text.slice(0, max - 1)}…` : node.text;
}
