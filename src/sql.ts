/** A name as a quoted SQL identifier ("order""s"): the same in DuckDB, Postgres and Trino. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
