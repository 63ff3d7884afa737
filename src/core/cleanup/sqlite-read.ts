import { sqlCount, sqlText } from '../adapters/sqlite-common';
import type { SqliteDatabase } from '../sqlite/open';
import { openReader } from '../sqlite/reader';
import type { PlannedItem } from './types';

/** Planning reads through its own read-only connection, closed at once: planning never writes. */
export function withReader<T>(path: string, read: (db: SqliteDatabase) => T): T {
  const reader = openReader(path);
  try {
    return read(reader.db);
  } finally {
    reader.close();
  }
}

/**
 * Estimated bytes per session id: `select` is an expression over the id `i.value` (a json_each row),
 * run once over all ids.
 */
export function bytesById(path: string, ids: readonly string[], select: (db: SqliteDatabase) => string): Map<string, number> {
  return withReader(path, (db) => {
    const rows = db.prepare(`SELECT i.value AS id, ${select(db)} AS bytes FROM json_each(?) i`).all(JSON.stringify(ids)) as Array<{ id: string; bytes: number }>;
    return new Map(rows.map((r) => [r.id, Number(r.bytes)]));
  });
}

/** fix-count items for rows whose stored count (a number, or numeric text) differs from what is there. */
export function countMismatches(rows: Array<{ id: unknown; stored: unknown; actual: number | null }>, column: string, what: string): PlannedItem[] {
  return rows.flatMap((r) => {
    const stored = sqlCount(r.stored);
    const actual = Number(r.actual ?? 0);
    if (stored === null || stored === actual) return [];
    const id = sqlText(r.id) ?? '';
    return [{ action: 'fix-count' as const, sessionId: id, title: null, messages: 0, bytes: 0, detail: `${column} ${stored}, ${what} ${actual}`, count: { stored, actual } }];
  });
}
