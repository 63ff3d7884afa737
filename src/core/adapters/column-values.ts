import { parseTimestamp } from '../model/time';
import type { EpochMs, StoreWarning } from '../model/types';
import { sqlText } from './sqlite-common';

/**
 * Column values read with their storage class checked. SQLite stores any class in any column (a
 * column's declared type is only an affinity, and a table written by another tool may declare none),
 * so a layout's TEXT column can hold a BLOB, a number or NULL. Each reader still gets the value it
 * can show — a BLOB as its UTF-8 text, a number printed — and the row gets one warning that says
 * which column of which row held what, so the rest of the store reads on.
 */

export interface ColumnPlace {
  table: string;
  column: string;
  /** Row id (primary key or rowid) for the warning. */
  rowId?: string | number;
  sessionId?: string;
  messageId?: string;
}

/** A short description of a SQLite value for messages: "a BLOB of 10 bytes", "the integer 42", "NULL". */
export function describeSqlValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Buffer.isBuffer(value)) return `a BLOB of ${value.length.toLocaleString('en')} byte(s)`;
  if (typeof value === 'bigint') return `the integer ${value}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  if (typeof value === 'string') return value.length > 40 ? `the text ${JSON.stringify(`${value.slice(0, 39)}…`)}` : `the text ${JSON.stringify(value)}`;
  return `a ${typeof value}`;
}

function where(place: ColumnPlace): string {
  return `${place.table}.${place.column}${place.rowId !== undefined ? ` of row ${JSON.stringify(place.rowId)}` : ''}`;
}

function warn(warnings: StoreWarning[], place: ColumnPlace, message: string): void {
  warnings.push({
    code: 'wrong-type',
    message,
    ...(place.rowId !== undefined ? { rowId: place.rowId } : {}),
    ...(place.sessionId !== undefined ? { sessionId: place.sessionId } : {}),
    ...(place.messageId !== undefined ? { messageId: place.messageId } : {}),
  });
}

/**
 * A TEXT column: text as it is; a BLOB decoded as UTF-8 and a number printed, each reported; NULL
 * is null, reported only when the layout declares the column NOT NULL (`required`).
 */
export function textColumn(value: unknown, place: ColumnPlace, warnings: StoreWarning[], required = false): string | null {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) {
    if (required) warn(warnings, place, `${where(place)} is NULL, where the layout keeps text; it is read as empty.`);
    return null;
  }
  const text = sqlText(value);
  warn(warnings, place, `${where(place)} is ${describeSqlValue(value)}, where the layout keeps text; it is read as ${Buffer.isBuffer(value) ? 'UTF-8 ' : ''}text.`);
  return text;
}

/**
 * A time column: numbers and text are the forms stores write; a value Arbor cannot read as a time
 * (a BLOB, text that is no time) is reported and read as "no time". NULL is no time, reported only
 * for a NOT NULL column.
 */
export function timeColumn(value: unknown, place: ColumnPlace, warnings: StoreWarning[], required = false): EpochMs | null {
  if (value === null || value === undefined) {
    if (required) warn(warnings, place, `${where(place)} is NULL, where the layout keeps a time; the time is unknown.`);
    return null;
  }
  const time = Buffer.isBuffer(value) ? null : parseTimestamp(value);
  if (time === null) warn(warnings, place, `${where(place)} is ${describeSqlValue(value)}, which is not a time Arbor can read; the time is unknown.`);
  return time;
}

/**
 * A row as the inspector shows it and an export carries it: BLOBs as their UTF-8 text (what the
 * reader shows; the row's warning says it was a BLOB), 64-bit integers as numbers. JSON and
 * structured clone then carry it as it reads, not as an array of byte values.
 */
export function plainRow<T extends object>(row: T): T {
  let out: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(row)) {
    if (!Buffer.isBuffer(value) && typeof value !== 'bigint') continue;
    const copy: Record<string, unknown> = out ?? { ...(row as Record<string, unknown>) };
    copy[key] = Buffer.isBuffer(value) ? value.toString('utf8') : Number(value);
    out = copy;
  }
  return (out ?? row) as T;
}

/** A row address for warnings and locations: numbers and text as they are, anything else (a BLOB key) as text. */
export function plainKey(value: unknown): string | number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'string') return value;
  return sqlText(value) ?? undefined;
}
