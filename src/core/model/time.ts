import type { EpochMs } from './types';

/**
 * Stores write times in every form: unix seconds, unix milliseconds, SQLite's `YYYY-MM-DD HH:MM:SS`,
 * Python's isoformat with microseconds, ISO 8601 with or without `Z`. Everything without a zone is
 * taken as UTC: SQLite's CURRENT_TIMESTAMP is UTC, and guessing the writer's local zone would be worse.
 */

/** Below this a number is read as seconds: 1e11 s is the year 5138, 1e11 ms is 1973. */
const SECONDS_LIMIT = 1e11;

const SQL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMERIC = /^-?\d+(\.\d+)?$/;

/** The most a JS Date can hold (±100,000,000 days from 1970): later "times" name no date at all. */
const DATE_LIMIT_MS = 8.64e15;

export function epochFromNumber(value: number): EpochMs | null {
  if (!Number.isFinite(value)) return null;
  const ms = Math.round(Math.abs(value) < SECONDS_LIMIT ? value * 1000 : value);
  return Math.abs(ms) <= DATE_LIMIT_MS ? ms : null;
}

/** Returns epoch ms, or null when the value is absent or not a time Arbor can read. */
export function parseTimestamp(value: unknown): EpochMs | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return epochFromNumber(value);
  if (typeof value === 'bigint') return epochFromNumber(Number(value));
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  if (NUMERIC.test(text)) return epochFromNumber(Number(text));
  const m = SQL_DATETIME.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s = '0', frac = '0', zone] = m;
    const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
    let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
    }
    return Number.isNaN(t) ? null : t;
  }
  if (DATE_ONLY.test(text)) {
    const t = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(t) ? null : t;
  }
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : t;
}

export function toIso(value: EpochMs | null): string | null {
  if (value === null) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/**
 * A SQL expression that turns a column of mixed time forms into unix seconds, so lists can sort and
 * filter in SQLite (no whole-table loads) and still order mixed forms correctly.
 */
export function sqlEpochSeconds(column: string): string {
  return `(CASE typeof(${column})
    WHEN 'integer' THEN (CASE WHEN abs(${column}) < ${SECONDS_LIMIT} THEN ${column} ELSE ${column} / 1000.0 END)
    WHEN 'real' THEN (CASE WHEN abs(${column}) < ${SECONDS_LIMIT} THEN ${column} ELSE ${column} / 1000.0 END)
    WHEN 'text' THEN coalesce(unixepoch(${column}, 'subsec'),
      (CASE WHEN ${column} GLOB '[0-9]*' AND ${column} NOT GLOB '*[^0-9.]*'
        THEN (CASE WHEN abs(CAST(${column} AS REAL)) < ${SECONDS_LIMIT} THEN CAST(${column} AS REAL) ELSE CAST(${column} AS REAL) / 1000.0 END)
      END))
    ELSE NULL END)`;
}
