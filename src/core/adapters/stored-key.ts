import type { StoreWarning } from '../model/types';
import type { SqliteDatabase } from '../sqlite/open';
import { cachedByDataVersion, sqlId } from './sqlite-common';

/**
 * Session ids that are not text. A key column can hold a BLOB, a number or NULL (a table without
 * declared types keeps every storage class; a TEXT column still keeps BLOBs), and text with bytes
 * that are not UTF-8. Arbor shows such a key as text (sqlId), and `WHERE id = ?` with that text finds
 * nothing. So a lookup that finds nothing by the exact key tries again by the shown text (a scan, paid
 * only for ids that are not found), and takes the row's key as it is stored — storage class and bytes —
 * to match its other rows exactly.
 */

/** The SQL function `(value) -> the id Arbor shows for it`, registered by registerIdFunction. */
export const ID_FN = 'arbor_id';

export function registerIdFunction(db: SqliteDatabase): void {
  db.function(ID_FN, { deterministic: true }, (value: unknown) => sqlId(value));
}

/** A key exactly as stored, as named parameters @keyType, @keyBytes, @keyNum. */
export interface StoredKey {
  keyType: string;
  keyBytes: Buffer | null;
  keyNum: number | null;
}

/** Columns that read `expr` as a StoredKey. */
export const storedKeyColumns = (expr: string): string =>
  `typeof(${expr}) AS keyType, CAST(${expr} AS BLOB) AS keyBytes, (CASE WHEN typeof(${expr}) IN ('integer', 'real') THEN ${expr} END) AS keyNum`;

/** True where `column` holds the stored key given as parameters (IS: a NULL key matches NULL). */
export const matchesStoredKey = (column: string): string =>
  `${column} IS (CASE @keyType WHEN 'text' THEN CAST(@keyBytes AS TEXT) WHEN 'blob' THEN @keyBytes WHEN 'null' THEN NULL ELSE @keyNum END)`;

/** The stored key of a value as the driver returned it, when that is exact (not text: JS text may have lost bytes). */
export function storedKeyOf(value: unknown): StoredKey | null {
  if (value === null || value === undefined) return { keyType: 'null', keyBytes: null, keyNum: null };
  if (Buffer.isBuffer(value)) return { keyType: 'blob', keyBytes: value, keyNum: null };
  if (typeof value === 'number') return { keyType: Number.isInteger(value) ? 'integer' : 'real', keyBytes: null, keyNum: value };
  return null;
}

/** Only the key's own parameters, for a statement that takes no others. */
export function keyParams(key: StoredKey): StoredKey {
  return { keyType: key.keyType, keyBytes: key.keyBytes, keyNum: key.keyNum };
}

/** True when the shown id is the stored key itself (text that JS read without loss): exact queries find it. */
export function isPlainKey(key: StoredKey, shown: string): boolean {
  return key.keyType === 'text' && key.keyBytes !== null && key.keyBytes.equals(Buffer.from(shown, 'utf8'));
}

/** The stored key of the first row of `table` whose `column` shows as `id`; null when there is none. */
export function findStoredKey(db: SqliteDatabase, table: string, column: string, id: string): StoredKey | null {
  const row = db.prepare(`SELECT ${storedKeyColumns(column)} FROM ${table} WHERE ${ID_FN}(${column}) = ? LIMIT 1`).get(id) as StoredKey | undefined;
  return row ?? null;
}

/**
 * A table without a key constraint (or a NULL key, which SQLite lets repeat) can hold one session id
 * on several rows. Each row is still listed; the source says how many ids repeat, and a lookup by id
 * takes the first row. Counted through the key's index when there is one, again only after a write.
 */
export function duplicateKeys(db: SqliteDatabase, table: string, column: string): () => StoreWarning | null {
  const count = db.prepare(`SELECT count(*) FROM (SELECT 1 FROM ${table} GROUP BY ${column} HAVING count(*) > 1)`).pluck();
  return cachedByDataVersion(db, () => {
    const n = Number(count.get());
    return n === 0
      ? null
      : { code: 'duplicate-id', message: `${n} session id(s) appear on more than one row of ${table}; each row is listed, and opening the id shows its first row.` };
  });
}
