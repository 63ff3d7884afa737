import type { SqliteDatabase } from './open';

/** Tables and their columns, read from sqlite_master and table_info: what detection judges by. */
export interface SqliteSchema {
  tables: Map<string, SqliteTable>;
}

export interface SqliteTable {
  name: string;
  /** Column names as declared. */
  columns: string[];
  /** Lower-cased column names for matching. */
  columnSet: Set<string>;
}

export function readSchema(db: SqliteDatabase): SqliteSchema {
  const names = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
  const tables = new Map<string, SqliteTable>();
  for (const name of names) {
    const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(name) as string[]);
    tables.set(name.toLowerCase(), { name, columns, columnSet: new Set(columns.map((c) => c.toLowerCase())) });
  }
  return { tables };
}

/** True when `table` exists and has every one of `columns` (case-insensitive). */
export function hasColumns(schema: SqliteSchema, table: string, columns: readonly string[]): boolean {
  const t = schema.tables.get(table.toLowerCase());
  return t !== undefined && columns.every((c) => t.columnSet.has(c.toLowerCase()));
}

/** The declared name of the first column of `table` found among `candidates` (snake_case or camelCase). */
export function pickColumn(schema: SqliteSchema, table: string, candidates: readonly string[]): string | null {
  const t = schema.tables.get(table.toLowerCase());
  if (!t) return null;
  for (const c of candidates) {
    const found = t.columns.find((col) => col.toLowerCase() === c.toLowerCase());
    if (found) return found;
  }
  return null;
}

/** Quotes an identifier for SQL (names come from the schema, never from users, but quote anyway). */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
