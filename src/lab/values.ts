/** How values and rows read in a check's message: one spelling everywhere. */

/** A value as the learner would see it in their result: text quoted, numbers (even those that arrive as text: BIGINT, DECIMAL) not. */
export function showValue(v: unknown, numeric = false): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return numeric ? v : `'${v}'`;
  return String(v);
}

/** A row, its numeric columns (by name) shown as numbers. */
export function showRow(row: Record<string, unknown>, numeric: ReadonlySet<string> = new Set()): string {
  return '{' + Object.entries(row).map(([k, v]) => `${k}: ${showValue(v, numeric.has(k))}`).join(', ') + '}';
}

/** Which of a DuckDB result's columns are numbers, from `DESCRIBE`'s column types. */
export function numericColumns(described: Array<Record<string, unknown>>): Set<string> {
  return new Set(described.filter((c) => /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|U\w*INT|FLOAT|DOUBLE|DECIMAL)/i.test(String(c.column_type))).map((c) => String(c.column_name)));
}

/** How often, for people: once, twice, 3 times. */
export function times(n: number): string {
  return n === 1 ? 'once' : n === 2 ? 'twice' : `${n.toLocaleString('en-US')} times`;
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
