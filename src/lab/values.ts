/** How values and rows read in a check's message: one spelling everywhere. */

export function showValue(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}

export function showRow(row: Record<string, unknown>): string {
  return '{' + Object.entries(row).map(([k, v]) => `${k}: ${showValue(v)}`).join(', ') + '}';
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
