/** A name as a quoted SQL identifier ("order""s"): the same in DuckDB, Postgres and Trino. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A text as a quoted SQL string literal ('it''s'). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A statement without its trailing semicolons and blank lines, ready to be wrapped (CREATE … AS, COPY (…)). */
export function trimStatement(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

/** The code of an SQL text without comments and string literals, so a keyword in a comment does not count. */
export function sqlCode(source: string): string {
  return source
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
}

/**
 * How many statements an SQL text holds: the `;`-separated parts with code in them, outside
 * strings, quoted names and comments. Counted on the text, not by an engine, which may expand one
 * statement into several (DuckDB's PIVOT without an IN list becomes two).
 */
export function countStatements(sql: string): number {
  let count = 0;
  let code = false;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      i = end < 0 ? sql.length : end + 1;
      code = true;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else {
      if (c === ';') {
        if (code) count++;
        code = false;
      } else if (!/\s/.test(c)) code = true;
      i++;
    }
  }
  return count + (code ? 1 : 0);
}
