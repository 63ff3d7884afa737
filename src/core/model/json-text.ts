import { MAX_NESTING } from './nesting';

/**
 * JSON.stringify(value, null, indent) without recursion, for rewriting a file that holds what a
 * backend wrote — which may nest deeper than any stack — without cutting it (the nesting bound is for
 * what Arbor reads into its model, never for bytes it writes back on the backend's behalf). Gives
 * exactly JSON.stringify's text for JSON data (plain objects, arrays, strings, finite numbers,
 * booleans, null; undefined members are left out as JSON.stringify leaves them out) down to
 * `indentLevels` levels; deeper parts are written compact, since indenting 100,000 levels would take
 * more than 10^10 spaces.
 */
export function stringifyJson(value: unknown, indent = 0, indentLevels = MAX_NESTING): string {
  const pad = (level: number) => (indent > 0 && level <= indentLevels ? `\n${' '.repeat(indent * level)}` : '');
  const colon = indent > 0 ? ': ' : ':';
  const out: string[] = [];
  type Frame = { entries: Array<[string | null, unknown]>; next: number; close: string; level: number };
  const frames: Frame[] = [];
  /** Writes a scalar, or opens a frame for a container; returns false for a member JSON leaves out. */
  const write = (v: unknown, level: number): void => {
    if (typeof v === 'object' && v !== null) {
      const isArray = Array.isArray(v);
      const entries: Array<[string | null, unknown]> = isArray
        ? (v as unknown[]).map((x) => [null, x])
        : Object.entries(v).filter(([, x]) => x !== undefined && typeof x !== 'function' && typeof x !== 'symbol');
      if (entries.length === 0) {
        out.push(isArray ? '[]' : '{}');
        return;
      }
      out.push(isArray ? '[' : '{');
      frames.push({ entries, next: 0, close: isArray ? ']' : '}', level });
      return;
    }
    out.push(JSON.stringify(v) ?? 'null');
  };
  write(value, 0);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];
    if (frame.next === frame.entries.length) {
      // A container whose members were written compact closes compact too.
      out.push(`${frame.level + 1 <= indentLevels ? pad(frame.level) : ''}${frame.close}`);
      frames.pop();
      continue;
    }
    const [key, member] = frame.entries[frame.next];
    out.push(`${frame.next > 0 ? ',' : ''}${pad(frame.level + 1)}${key === null ? '' : `${JSON.stringify(key)}${colon}`}`);
    frame.next++;
    write(member, frame.level + 1);
  }
  return out.join('');
}

/**
 * JSON.stringify's text of a backend's value, written back whole: one nested deeper than
 * JSON.stringify can go (a RangeError) is written without recursion instead.
 */
export function jsonTextOf(value: unknown, indent = 0): string {
  try {
    return JSON.stringify(value, null, indent || undefined);
  } catch (error) {
    if (error instanceof RangeError) return stringifyJson(value, indent);
    throw error;
  }
}
