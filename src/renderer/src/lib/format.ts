import type { Role, StoreWarning } from '../../../shared/dto';

/** Times cross the API as epoch milliseconds; the user reads them in their own locale. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const number = new Intl.NumberFormat();

export function formatTime(ms: number | null | undefined, withSeconds = false): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return (withSeconds ? dateTimeSeconds : dateTime).format(ms);
}

export function formatNumber(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : number.format(n);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

export const ROLE_LABEL: Record<Role, string> = {
  user: 'user',
  assistant: 'assistant',
  system: 'system',
  tool: 'tool',
  unknown: 'unknown',
};

/** Where a warning points, in the words a user would look for it: line of a file, row of a table. */
export function warningWhere(w: StoreWarning): string {
  const parts: string[] = [];
  if (w.file) parts.push(w.file);
  if (w.line !== undefined) parts.push(`line ${w.line}`);
  if (w.rowId !== undefined) parts.push(`row ${w.rowId}`);
  if (w.sessionId !== undefined) parts.push(`session ${w.sessionId}`);
  if (w.messageId !== undefined) parts.push(`message ${w.messageId}`);
  return parts.join(', ');
}

/** JSON for people: indented, and never throws on cycles or BigInts (raw records are untrusted). */
export function prettyJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    const seen = new WeakSet<object>();
    return (
      JSON.stringify(
        value,
        (_key, v: unknown) => {
          if (typeof v === 'bigint') return v.toString();
          if (v && typeof v === 'object') {
            if (seen.has(v)) return '[circular]';
            seen.add(v);
          }
          return v;
        },
        2,
      ) ?? String(value)
    );
  } catch {
    return String(value);
  }
}
