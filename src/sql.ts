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
