import { parseTimestamp } from '../../model/time';

/**
 * Claude Code writes every time as an ISO 8601 string in UTC (`2026-02-10T21:11:56.846Z`); those
 * go straight to Date.parse, which is several times faster than the general reader that also
 * takes SQLite forms, epoch numbers and zones. Anything else goes through the general reader.
 */
export function recordTime(value: unknown): number | null {
  if (typeof value === 'string' && value.length >= 20 && value.charCodeAt(10) === 0x54 /* T */ && value.charCodeAt(value.length - 1) === 0x5a /* Z */) {
    const t = Date.parse(value);
    if (!Number.isNaN(t)) return t;
  }
  return parseTimestamp(value);
}
