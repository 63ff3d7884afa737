import { READ_LIMITS } from '../files/limits';
import { readTextFile } from '../files/read';
import { parseJsonBounded, type NestingCut } from '../model/nesting';
import type { StoreWarning } from '../model/types';

/**
 * Lenient JSON-lines reading: blank lines are skipped, a line that is not JSON is reported with its
 * 1-based number and the rest still reads. A file cut off mid-line (a crash during an append) shows
 * up as one bad last line, not as a lost file. Each value is bounded in nesting (model/nesting.ts);
 * `cut` says what was cut, for the caller to report on the record it makes of the line.
 */
export interface JsonlLine {
  line: number;
  value: unknown;
}

const PREVIEW = 80;

export function parseJsonlText(
  text: string,
  onValue: (value: unknown, line: number, cut: NestingCut | null) => void,
  warnings: StoreWarning[],
  file?: string,
  /** The number of the text's first line (a tail read goes on from where the last one ended). */
  firstLine = 1,
): void {
  // A byte order mark some editors write is not part of the first record.
  let start = firstLine === 1 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = firstLine - 1;
  const length = text.length;
  while (start <= length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    line++;
    const raw = text.slice(start, end);
    // Records start with '{'; only other lines need the whitespace check for blank lines.
    if (raw.charCodeAt(0) === 0x7b || raw.trim() !== '') {
      let parsed: ReturnType<typeof parseJsonBounded> | null = null;
      try {
        // JSON.parse itself allows surrounding whitespace and a trailing '\r'.
        parsed = parseJsonBounded(raw);
      } catch (error) {
        warnings.push({
          code: 'bad-json-line',
          message: `Line ${line} is not valid JSON (${(error as Error).message}): ${preview(raw)}`,
          line,
          ...(file ? { file } : {}),
        });
      }
      // Outside the try: an error of the caller's is not a bad line.
      if (parsed) onValue(parsed.value, line, parsed.cut);
    }
    if (end === length) break;
    start = end + 1;
  }
}

/** A line as read: its value, or the warning it gave instead. */
export type JsonlItem = { value: unknown; line: number } | { warning: StoreWarning };

/**
 * JSON lines as one list in line order, values and warnings together: what a layout whose reading
 * is not line by line (it folds across lines) keeps in the tail cache, to read again as a whole.
 */
export function parseJsonlItems(text: string, file: string, firstLine = 1): JsonlItem[] {
  const values: Array<{ value: unknown; line: number }> = [];
  const warnings: StoreWarning[] = [];
  parseJsonlText(text, (value, line) => values.push({ value, line }), warnings, file, firstLine);
  if (!warnings.length) return values;
  // Each line gave a value or a warning: merged by line number.
  const items: JsonlItem[] = [];
  let w = 0;
  for (const v of values) {
    while (w < warnings.length && (warnings[w].line ?? 0) < v.line) items.push({ warning: warnings[w++] });
    items.push(v);
  }
  while (w < warnings.length) items.push({ warning: warnings[w++] });
  return items;
}

export function readJsonlFile(path: string, onValue: (value: unknown, line: number, cut: NestingCut | null) => void, warnings: StoreWarning[]): void {
  parseJsonlText(readTextFile(path, { limit: READ_LIMITS.messages, what: 'JSON-lines files' }), onValue, warnings, path);
}

function preview(raw: string): string {
  return raw.length > PREVIEW ? `${raw.slice(0, PREVIEW)}…` : raw;
}
