// Quoting for SQL text built in code (DuckDB's rules): one home for the console, the ingest and
// the Ask intents alike.

/** Quotes an identifier such as a raw tag name "[PLC]HLT101.OUTPUT". */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for the few places DuckDB takes no parameter (e.g. read_csv paths). */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
