import type Database from 'better-sqlite3';
import { parseJsonBounded, type NestingCut } from '../model/nesting';
import type { SqliteDatabase } from '../sqlite/open';
import type { SessionQuery, SessionSort } from './adapter';

/**
 * SQL helpers shared by the SQLite adapters. Lists page, sort and filter inside SQLite so a store of
 * any size is never loaded whole; these pieces keep the adapters' queries alike.
 */

/** Positional or named parameters, or none: one type for every cached statement. */
export type Statement = Database.Statement<unknown[]>;

/** Prepares each distinct query once per source: list queries vary only by sort, direction and filter. */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {}

  get(key: string, sql: () => string): Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare<unknown[]>(sql());
      this.statements.set(key, statement);
    }
    return statement;
  }
}

/** Name of the SQL function `(haystack, loweredNeedle) -> 0|1` registered by registerContains. */
export const CONTAINS_FN = 'arbor_contains';

/**
 * SQLite's lower() and LIKE fold ASCII only; stores hold Cyrillic, Greek and accented text, so the
 * case-insensitive filter is a JS function. Registering a function changes nothing in the file.
 */
export function registerContains(db: SqliteDatabase): void {
  db.function(CONTAINS_FN, { deterministic: true }, (haystack: unknown, needle: unknown) => {
    if (typeof needle !== 'string') return 0;
    const text = sqlText(haystack);
    return text !== null && text.toLowerCase().includes(needle) ? 1 : 0;
  });
}

/** The query's filter, trimmed and lower-cased for CONTAINS_FN, or null when there is none. */
export function filterNeedle(query: SessionQuery): string | null {
  const needle = query.filter?.trim().toLowerCase() ?? '';
  return needle === '' ? null : needle;
}

export function sortOf(query: SessionQuery): { sort: SessionSort; direction: 'ASC' | 'DESC' } {
  return { sort: query.sort ?? 'updated', direction: query.direction === 'asc' ? 'ASC' : 'DESC' };
}

/**
 * ORDER BY for a list page. Sessions without a key (no time, unreadable count) go last either way, and
 * ties fall back to the id ascending, as in the other adapters, so pages never overlap or skip.
 */
export function orderBySql(keyExpr: string, idExpr: string, direction: 'ASC' | 'DESC'): string {
  return `${keyExpr} ${direction} NULLS LAST, ${idExpr} ASC`;
}

/**
 * `expr` cut to at most `bytes` bytes. Titles and filters need only the start of a text, and a 300 KB
 * pasted log must not be copied into JS for every row. Cut as a BLOB because substr() on TEXT stops
 * at the first NUL character, which would drop the rest of a text that holds one.
 */
export function headTextSql(expr: string, bytes: number): string {
  return `(SELECT CASE WHEN octet_length(t) > ${bytes} THEN CAST(substr(CAST(t AS BLOB), 1, ${bytes}) AS TEXT) ELSE t END FROM (SELECT ${expr} AS t))`;
}

/** A value read from a TEXT column as text: BLOBs are decoded as UTF-8, numbers printed. */
export function sqlText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return null;
}

/** A count column: numbers and numeric text count, anything else is "the store keeps none". */
export function sqlCount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return null;
}

export type JsonResult = { ok: true; value: unknown; cut: NestingCut | null } | { ok: false; error: string };

/**
 * JSON.parse that reports instead of throwing, for columns that may hold anything. The value is
 * bounded in nesting from its root (model/nesting.ts); `cut` says what was cut, for the caller's warning.
 */
export function parseJsonColumn(value: unknown): JsonResult {
  const text = sqlText(value);
  if (text === null) return { ok: false, error: value === null || value === undefined ? 'the value is NULL' : `a ${typeof value}, not JSON text` };
  try {
    const { value: parsed, cut } = parseJsonBounded(text);
    return { ok: true, value: parsed, cut };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** A session id column read leniently: a NULL key (allowed by SQLite on TEXT keys) reads as ''. */
export function sqlId(value: unknown): string {
  return sqlText(value) ?? '';
}

/**
 * How to address a table's rows for warnings and stable ordering. `rowid` is shadowed when a table
 * declares a column of that name and absent in WITHOUT ROWID tables: then fall back to `fallback`
 * (a key column) rather than fail to open the store.
 */
export function rowidExpression(db: SqliteDatabase, table: { name: string; columnSet: Set<string> }, fallback: string | null): string | null {
  const sql = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`).pluck().get(table.name);
  if (typeof sql === 'string' && /\bWITHOUT\s+ROWID\b/i.test(sql)) return fallback;
  for (const alias of ['rowid', '_rowid_', 'oid']) {
    if (!table.columnSet.has(alias)) return alias;
  }
  return fallback;
}

/**
 * A value derived from a whole-table scan, recomputed only when another connection has committed
 * since (`PRAGMA data_version` changes exactly then): a backend may be writing while Arbor browses.
 */
export function cachedByDataVersion<T>(db: SqliteDatabase, compute: () => T): () => T {
  const version = db.prepare('PRAGMA data_version').pluck();
  let seen: unknown;
  let value: T;
  let has = false;
  return () => {
    const current = version.get();
    if (!has || current !== seen) {
      value = compute();
      seen = current;
      has = true;
    }
    return value;
  };
}

/** Ids passed to SQL as one JSON array, read there with json_each: one statement for any page size. */
export function jsonIds(ids: readonly string[]): string {
  return JSON.stringify(ids);
}

/**
 * The cheapest ORDER BY key for a time column. Normalising mixed forms (sqlEpochSeconds) costs a
 * function call per row; when every value is in one form whose raw order is already time order —
 * all `YYYY-MM-DD HH:MM:SS[.fff]` texts, or all integers of one unit — the raw column sorts the same
 * and SQLite skips that work. Checked once per write by another connection (PRAGMA data_version).
 */
export function timeOrderKey(db: SqliteDatabase, table: string, column: string, normalised: string, raw: string): () => string {
  const check = db
    .prepare(
      `SELECT
         sum(typeof(${column}) = 'text' AND ${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9]*'
             AND substr(${column}, 20) NOT GLOB '*[^0-9.]*') AS sqlText,
         sum(typeof(${column}) = 'integer' AND abs(${column}) < 100000000000) AS seconds,
         sum(typeof(${column}) = 'integer' AND abs(${column}) >= 100000000000) AS millis,
         sum(${column} IS NULL) AS nulls,
         count(*) AS total
       FROM ${table}`,
    )
    .safeIntegers(false);
  return cachedByDataVersion(db, () => {
    const r = check.get() as { sqlText: number | null; seconds: number | null; millis: number | null; nulls: number | null; total: number };
    const rest = r.total - (r.nulls ?? 0);
    const uniform = rest === (r.sqlText ?? 0) || rest === (r.seconds ?? 0) || rest === (r.millis ?? 0);
    return uniform ? raw : normalised;
  });
}
